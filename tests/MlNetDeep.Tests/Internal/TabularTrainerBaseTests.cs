using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Internal;
using MlNetDeep.Tests.Fixtures;

namespace MlNetDeep.Tests.Internal;

/// <summary>
/// Fits the fixture trainers built on <see cref="TabularTrainerBase{TTransformer, TModel}"/> inside ML.NET pipelines:
/// this checks that ML.NET's trainer plumbing calls the overrides of its internal members, and that the fitted
/// pipeline saves and loads.
/// </summary>
public class TabularTrainerBaseTests
{
    [Fact]
    public void RegressionTrainerFitsInAPipelineAndRoundTrips()
    {
        using var folder = new TemporaryDirectory();
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(new[]
        {
            new Row { A = 1f, B = 2f, Target = 1f, Weight = 1f },
            new Row { A = 3f, B = 4f, Target = 4f, Weight = 2f },
            new Row { A = 5f, B = 6f, Target = float.NaN, Weight = 1f },
        });
        var concatenate = mlContext.Transforms.Concatenate("Features", "A", "B");
        var trainer = new WeightedMeanRegressionTrainer(mlContext, "Features", "Target", "Weight");
        var pipeline = concatenate.Append(trainer);

        var outputSchema = trainer.GetOutputSchema(concatenate.Fit(data).GetOutputSchema(data.Schema));
        var model = pipeline.Fit(data);

        Assert.Equal(["A", "B", "Target", "Weight", "Text", "Features", "Score"], outputSchema.Select(c => c.Name).ToArray());
        Assert.IsType<RegressionPredictionTransformer<LinearScorerModelParameters>>(model.LastTransformer);
        Assert.Equal(3f, model.LastTransformer.Model.Biases[0]);
        var path = folder.File("trained.zip");
        ModelFiles.SaveAtomically(mlContext, model, data.Schema, path);
        var scores = ModelFiles.Load(new MLContext(seed: 2), path, out _).Transform(data).GetColumn<float>("Score").ToArray();
        Assert.Equal([3f, 3f, 3f], scores);
    }

    [Fact]
    public void MulticlassTrainerOutputsKeyedPredictedLabelAndPredictsTheMostFrequentClassByName()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(new[]
        {
            new Row { A = 1f, B = 2f, Text = "cat" },
            new Row { A = 3f, B = 4f, Text = "dog" },
            new Row { A = 5f, B = 6f, Text = "dog" },
        });
        var prepare = mlContext.Transforms.Conversion.MapValueToKey("Label", "Text")
            .Append(mlContext.Transforms.Concatenate("Features", "A", "B"));
        var trainer = new ClassFrequencyTrainer(mlContext, "Features", "Label");
        var pipeline = prepare.Append(trainer).Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedText", "PredictedLabel"));

        var shape = trainer.GetOutputSchema(prepare.Fit(data).GetOutputSchema(data.Schema));
        var predictions = pipeline.Fit(data).Transform(data);

        var predictedLabel = shape.Single(c => c.Name == "PredictedLabel");
        Assert.True(predictedLabel.IsKey);
        Assert.Contains(predictedLabel.Annotations, a => a.Name == "KeyValues");

        Assert.Equal(["dog", "dog", "dog"], predictions.GetColumn<string>("PredictedText").ToArray());
        var score = predictions.GetColumn<float[]>("Score").First();
        Assert.Equal([1f / 3f, 2f / 3f], score);
    }

    [Fact]
    public void LabelOfTheWrongTypeFailsBeforeTraining()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(new[] { new Row { A = 1f, B = 2f, Text = "cat" } });
        var concatenated = mlContext.Transforms.Concatenate("Features", "A", "B").Fit(data).Transform(data);
        var trainer = new ClassFrequencyTrainer(mlContext, "Features", "Text");

        var error = Assert.Throws<ArgumentException>(() => trainer.GetOutputSchema(concatenated.Schema));
        Assert.Throws<ArgumentException>(() => trainer.Fit(concatenated));

        Assert.Contains("The label column 'Text' must be a key (use mlContext.Transforms.Conversion.MapValueToKey) for MulticlassClassification; found String", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DataErrorsSurfaceFromFit()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(new[] { new Row { A = float.NaN, B = 2f, Target = 1f } });
        var pipeline = mlContext.Transforms.Concatenate("Features", "A", "B")
            .Append(new WeightedMeanRegressionTrainer(mlContext, "Features", "Target", null));

        var error = Assert.Throws<InvalidOperationException>(() => pipeline.Fit(data));

        Assert.Contains("row 0, slot 0 ('A')", error.Message, StringComparison.Ordinal);
    }

    public sealed class Row
    {
        public float A { get; set; }

        public float B { get; set; }

        public float Target { get; set; }

        public float Weight { get; set; }

        public string Text { get; set; } = "";
    }
}
