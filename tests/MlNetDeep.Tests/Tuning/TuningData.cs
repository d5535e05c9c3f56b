using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Tests.Tuning;

/// <summary>Small synthetic data sets for the tuner tests: separable enough that a few epochs learn them.</summary>
internal static class TuningData
{
    public const int FeatureCount = 4;

    /// <summary>Three Gaussian blobs (label keys from the class names "a", "b", "c"), 40 rows each.</summary>
    public static IDataView Multiclass(MLContext mlContext, int rows = 120)
    {
        var random = new Random(7);
        var data = Enumerable.Range(0, rows).Select(i =>
        {
            var label = i % 3;
            return new MulticlassRow { Class = ((char)('a' + label)).ToString(), Features = Point(random, label * 3f) };
        }).ToArray();
        return mlContext.Transforms.Conversion.MapValueToKey("Label", nameof(MulticlassRow.Class))
            .Fit(mlContext.Data.LoadFromEnumerable(data))
            .Transform(mlContext.Data.LoadFromEnumerable(data));
    }

    /// <summary>Two Gaussian blobs with a Boolean label.</summary>
    public static IDataView Binary(MLContext mlContext, int rows = 120)
    {
        var random = new Random(8);
        return mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(i => new BinaryRow
        {
            Label = i % 2 == 1,
            Features = Point(random, i % 2 == 1 ? 2.5f : 0f),
        }).ToArray());
    }

    /// <summary>A linear target with a little noise: y = x0 − 2·x1 + 0.5·x2 + 3.</summary>
    public static IDataView Regression(MLContext mlContext, int rows = 120)
    {
        var random = new Random(9);
        return mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(_ =>
        {
            var x = Point(random, 0f);
            return new RegressionRow { Features = x, Label = x[0] - (2 * x[1]) + (0.5f * x[2]) + 3 + (0.05f * Gaussian(random)) };
        }).ToArray());
    }

    private static float[] Point(Random random, float centre) =>
        Enumerable.Range(0, FeatureCount).Select(_ => centre + Gaussian(random)).ToArray();

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    public sealed class MulticlassRow
    {
        public string Class { get; set; } = "";

        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];
    }

    public sealed class BinaryRow
    {
        public bool Label { get; set; }

        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];
    }

    public sealed class RegressionRow
    {
        public float Label { get; set; }

        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];
    }
}
