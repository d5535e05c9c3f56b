using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Tests.FeedForward;

/// <summary>
/// Synthetic tabular data shared by the trainer tests and the fresh-process loader in <see cref="Program"/>: four
/// features, a class that shifts three of them (multiclass), a linear boolean (binary) and a smooth target between
/// 25 and 346 (regression), all easy enough that a small network learns them in a few epochs.
/// </summary>
public static class FeedForwardScenario
{
    /// <summary>The number of features.</summary>
    public const int FeatureCount = 4;

    /// <summary>The class names, in the order MapValueToKey assigns keys to them (first appearance).</summary>
    public static readonly string[] ClassNames = ["cat", "dog", "emu"];

    /// <summary>Makes <paramref name="count"/> rows from <paramref name="seed"/>; the same arguments give the same rows.</summary>
    public static Row[] Rows(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new Row[count];
        for (var i = 0; i < count; i++)
        {
            var c = i < ClassNames.Length ? i : random.Next(ClassNames.Length);
            var x = new float[FeatureCount];
            for (var j = 0; j < FeatureCount; j++)
            {
                x[j] = (float)Gaussian(random) + (j == c ? 3.5f : 0f);
            }

            rows[i] = new Row
            {
                Features = x,
                Class = ClassNames[c],
                IsPositive = x[0] - x[1] + (0.5f * x[3]) > 0,
                Target = 185.5f + (160.5f * MathF.Tanh(0.5f * (x[0] - x[2] + x[3]))),
                Weight = 1f,
            };
        }

        return rows;
    }

    /// <summary>The small, fast options every workout trains with (one hidden layer, no numeric embedding, one thread, fixed seed).</summary>
    public static TOptions Small<TOptions>(TOptions options, string labelColumnName)
        where TOptions : FeedForwardTrainerOptionsBase
    {
        options.LabelColumnName = labelColumnName;
        options.HiddenLayers = [16];
        options.NumberOfEpochs = 30;
        options.BatchSize = 32;
        options.LearningRate = 0.01f;
        options.EarlyStoppingPatience = 0;
        options.Seed = 7;
        options.NumberOfThreads = 1;

        // No numeric embedding unless the test sets one: the automatic choice has tests of its own.
        options.NumericEmbedding ??= NumericEmbedding.None;
        return options;
    }

    /// <summary>The pipeline of one task: for multiclass, MapValueToKey on the class then the trainer then MapKeyToValue.</summary>
    public static IEstimator<ITransformer> Pipeline(MLContext mlContext, string task) => task switch
    {
        "multiclass" => mlContext.Transforms.Conversion.MapValueToKey("Label", nameof(Row.Class))
            .Append(mlContext.MulticlassClassification.Trainers.FeedForward(Small(new FeedForwardMulticlassTrainer.Options(), "Label")))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel")),
        "binary" => mlContext.BinaryClassification.Trainers.FeedForward(Small(new FeedForwardBinaryTrainer.Options(), nameof(Row.IsPositive))),
        "regression" => mlContext.Regression.Trainers.FeedForward(Small(new FeedForwardRegressionTrainer.Options { DropoutRate = 0 }, nameof(Row.Target))),
        "multiclass-embedded" => mlContext.Transforms.Conversion.MapValueToKey("Label", nameof(Row.Class))
            .Append(mlContext.MulticlassClassification.Trainers.FeedForward(Small(
                new FeedForwardMulticlassTrainer.Options { InputTransform = InputTransform.Quantile, NumericEmbedding = NumericEmbedding.Periodic, EmbeddingDimension = 4, EmbeddingFrequencies = 3 },
                "Label")))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel")),
        "binary-embedded" => mlContext.BinaryClassification.Trainers.FeedForward(Small(
            new FeedForwardBinaryTrainer.Options { InputTransform = InputTransform.RobustSmoothClip, NumericEmbedding = NumericEmbedding.PeriodicLite, EmbeddingDimension = 4, EmbeddingFrequencies = 3 },
            nameof(Row.IsPositive))),
        "regression-embedded" => mlContext.Regression.Trainers.FeedForward(Small(
            new FeedForwardRegressionTrainer.Options { DropoutRate = 0, InputTransform = InputTransform.RobustSmoothClip, NumericEmbedding = NumericEmbedding.PiecewiseLinear, EmbeddingDimension = 4, EmbeddingBins = 6 },
            nameof(Row.Target))),
        "multiclass-ensemble" => mlContext.Transforms.Conversion.MapValueToKey("Label", nameof(Row.Class))
            .Append(mlContext.MulticlassClassification.Trainers.FeedForward(Small(new FeedForwardMulticlassTrainer.Options { EnsembleSize = 4, Normalization = Normalization.None }, "Label")))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel")),
        "binary-ensemble" => mlContext.BinaryClassification.Trainers.FeedForward(Small(
            new FeedForwardBinaryTrainer.Options { EnsembleSize = 3, NumericEmbedding = NumericEmbedding.PeriodicLite, EmbeddingDimension = 4, EmbeddingFrequencies = 3 },
            nameof(Row.IsPositive))),
        "regression-ensemble" => mlContext.Regression.Trainers.FeedForward(Small(
            new FeedForwardRegressionTrainer.Options { DropoutRate = 0, EnsembleSize = 5, Normalization = Normalization.LayerNorm },
            nameof(Row.Target))),
        _ => throw new ArgumentException($"Unknown task '{task}'.", nameof(task)),
    };

    /// <summary>The test rows every scenario scores.</summary>
    public static Row[] TestRows() => Rows(40, seed: 99);

    /// <summary>Every score of <paramref name="scored"/> in row order (all slots of a vector score).</summary>
    public static float[] Scores(IDataView scored)
    {
        var column = scored.Schema["Score"];
        return column.Type is VectorDataViewType
            ? [.. scored.GetColumn<float[]>(column).SelectMany(v => v)]
            : [.. scored.GetColumn<float>(column)];
    }

    /// <summary>Loads the model at <paramref name="path"/> in a new context and returns the scores of <see cref="TestRows"/>.</summary>
    public static float[] LoadAndScore(string path)
    {
        var mlContext = new MLContext(seed: 1);
        var model = mlContext.Model.Load(path, out _);
        return Scores(model.Transform(mlContext.Data.LoadFromEnumerable(TestRows())));
    }

    private static double Gaussian(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>One input row.</summary>
    public sealed class Row
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public string Class { get; set; } = "";

        public bool IsPositive { get; set; }

        public float Target { get; set; }

        public float Weight { get; set; }
    }
}
