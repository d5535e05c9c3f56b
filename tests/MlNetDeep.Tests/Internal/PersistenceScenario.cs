using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Internal;
using MlNetDeep.Tests.Fixtures;
using MlNetDeep.Training;

namespace MlNetDeep.Tests.Internal;

/// <summary>
/// A small pipeline (concatenate three columns, then ML.NET's prediction transformer around
/// <see cref="LinearScorerModelParameters"/>) shared by the in-process tests and the fresh-process loader in Program.
/// </summary>
public static class PersistenceScenario
{
    /// <summary>The weights of the regression scorer, one per feature.</summary>
    public static readonly float[] Weights = [0.5f, -1.25f, 2f];

    /// <summary>The bias of the regression scorer.</summary>
    public const float Bias = 0.75f;

    /// <summary>The rows every scenario scores.</summary>
    public static Row[] Rows() =>
    [
        new() { A = 1f, B = 2f, C = 3f, Label = "cat" },
        new() { A = -0.5f, B = 0.25f, C = 1.5f, Label = "dog" },
        new() { A = 3.75f, B = -2f, C = 0f, Label = "emu" },
        new() { A = 0f, B = 0f, C = -1f, Label = "dog" },
    ];

    /// <summary>Builds the regression pipeline: Concatenate("Features", A, B, C) then the scorer.</summary>
    internal static TransformerChain<RegressionPredictionTransformer<LinearScorerModelParameters>> BuildRegression(MLContext mlContext, out IDataView data)
    {
        data = mlContext.Data.LoadFromEnumerable(Rows());
        var concatenate = mlContext.Transforms.Concatenate("Features", nameof(Row.A), nameof(Row.B), nameof(Row.C)).Fit(data);
        var model = new LinearScorerModelParameters(mlContext, TaskKind.Regression, Weights, Bias);
        var predictor = PredictionTransformers.Regression(mlContext, model, concatenate.GetOutputSchema(data.Schema), "Features");
        return new TransformerChain<ITransformer>(concatenate).Append(predictor);
    }

    /// <summary>What the regression scorer must give for <paramref name="row"/>.</summary>
    public static float ExpectedScore(Row row) => Bias + (Weights[0] * row.A) + (Weights[1] * row.B) + (Weights[2] * row.C);

    /// <summary>Loads the model at <paramref name="path"/> in a new context and returns the scores of <see cref="Rows"/>.</summary>
    public static float[] LoadAndScore(string path)
    {
        var mlContext = new MLContext(seed: 1);
        var model = ModelFiles.Load(mlContext, path, out _);
        var scored = model.Transform(mlContext.Data.LoadFromEnumerable(Rows()));
        return [.. scored.GetColumn<float>("Score")];
    }

    /// <summary>One input row.</summary>
    public sealed class Row
    {
        public float A { get; set; }

        public float B { get; set; }

        public float C { get; set; }

        public string Label { get; set; } = "";
    }
}
