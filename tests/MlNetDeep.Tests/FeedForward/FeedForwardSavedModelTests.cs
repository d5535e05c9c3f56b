using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Tests.FeedForward;

/// <summary>
/// Model files written by an earlier build (SavedModels/, see its README) must keep loading and predicting as they
/// did when they were written: one multiclass, one binary and one regression pipeline, scored on four fixed rows
/// each, against the values recorded from the models when the files were saved.
/// </summary>
public class FeedForwardSavedModelTests
{
    // Scores may move by rounding when kernels change their order of operations; a misread file moves them far more.
    private const double Tolerance = 1e-4;

    [Fact]
    public void MulticlassModelOfFormat00010002StillLoadsAndPredicts()
    {
        var mlContext = new MLContext(seed: 1);
        var model = mlContext.Model.Load(SavedModel("feedforward-multiclass-00010002.zip"), out var inputSchema);
        DigitRow[] rows =
        [
            new() { Digit = 1, Features = [0, 0, 1, 14, 2, 0, 0, 0, 0, 0, 0, 16, 5, 0, 0, 0, 0, 0, 0, 14, 10, 0, 0, 0, 0, 0, 0, 11, 16, 1, 0, 0, 0, 0, 0, 3, 14, 6, 0, 0, 0, 0, 0, 0, 8, 12, 0, 0, 0, 0, 10, 14, 13, 16, 8, 3, 0, 0, 2, 11, 12, 15, 16, 15] },
            new() { Digit = 4, Features = [0, 0, 0, 1, 15, 2, 0, 0, 0, 0, 0, 5, 15, 0, 4, 0, 0, 0, 0, 13, 8, 1, 16, 3, 0, 0, 5, 15, 2, 5, 15, 0, 0, 5, 15, 16, 16, 16, 8, 0, 0, 14, 12, 12, 14, 16, 2, 0, 0, 0, 0, 0, 12, 12, 0, 0, 0, 0, 0, 2, 16, 5, 0, 0] },
            new() { Digit = 0, Features = [0, 0, 6, 16, 12, 1, 0, 0, 0, 3, 16, 5, 9, 13, 0, 0, 0, 5, 12, 0, 0, 12, 6, 0, 0, 8, 14, 2, 0, 7, 8, 0, 0, 7, 12, 2, 0, 4, 8, 0, 0, 4, 12, 0, 0, 9, 7, 0, 0, 3, 16, 5, 7, 14, 2, 0, 0, 0, 7, 16, 13, 3, 0, 0] },
            new() { Digit = 5, Features = [0, 3, 10, 11, 12, 12, 6, 0, 0, 8, 14, 11, 8, 8, 4, 0, 0, 8, 10, 7, 3, 0, 0, 0, 0, 8, 16, 14, 15, 4, 0, 0, 0, 2, 2, 0, 6, 9, 0, 0, 0, 0, 0, 0, 4, 12, 0, 0, 0, 1, 8, 4, 10, 10, 0, 0, 0, 2, 15, 16, 13, 2, 0, 0] },
        ];
        float[][] expectedScores =
        [
            [1.0126199E-11f, 6.408027E-08f, 1.0930229E-08f, 3.0743028E-21f, 6.548708E-13f, 1.6816196E-09f, 8.0723696E-16f, 1.792388E-09f, 4.168592E-05f, 0.99995816f],
            [8.944619E-07f, 3.6653425E-06f, 1.1560595E-09f, 6.9427363E-13f, 0.99986315f, 3.1665691E-16f, 1.1153645E-14f, 0.00013233101f, 4.9837227E-18f, 1.1866391E-13f],
            [0.9973959f, 3.5675862E-06f, 0.0003137695f, 1.899046E-05f, 9.272329E-05f, 0.0002560685f, 0.00014375459f, 0.000724783f, 0.00015212427f, 0.0008982517f],
            [0.0015727454f, 1.35859345E-05f, 0.0008282231f, 0.0022043707f, 1.4114357E-05f, 0.99387324f, 7.834227E-05f, 0.00016193592f, 7.3839285E-05f, 0.0011796828f],
        ];

        var scored = model.Transform(mlContext.Data.LoadFromEnumerable(rows));

        Assert.Equal(["Digit", "Features"], inputSchema.Select(c => c.Name));
        var parameters = ((IEnumerable<ITransformer>)model).OfType<MulticlassPredictionTransformer<FeedForwardModelParameters>>().Single().Model;
        Assert.Equal(10, parameters.ClassCount);
        Assert.Equal(64, parameters.InputSize);
        var hidden = Assert.Single(parameters.HiddenLayers);
        Assert.Equal((16, Normalization.BatchNorm, 0.2f), (hidden.Units, hidden.Normalization, hidden.DropoutRate));
        Assert.Equal(15, parameters.TrainingHistory.Count);
        Assert.Equal([9f, 4f, 0f, 5f], scored.GetColumn<float>("PredictedDigit"));
        var scores = scored.GetColumn<float[]>("Score").ToArray();
        Assert.Equal(expectedScores.Length, scores.Length);
        for (var i = 0; i < scores.Length; i++)
        {
            AssertClose(expectedScores[i], scores[i]);
        }
    }

    [Fact]
    public void BinaryModelOfFormat00010002StillLoadsAndPredicts()
    {
        var mlContext = new MLContext(seed: 1);
        var model = mlContext.Model.Load(SavedModel("feedforward-binary-00010002.zip"), out var inputSchema);

        var scored = model.Transform(mlContext.Data.LoadFromEnumerable(CancerTestRows()));

        Assert.Equal(["Benign", "Features"], inputSchema.Select(c => c.Name));
        var parameters = Assert.IsType<BinaryPredictionTransformer<FeedForwardModelParameters>>(model).Model;
        var hidden = Assert.Single(parameters.HiddenLayers);
        Assert.Equal((8, Activation.PReLU, Normalization.LayerNorm), (hidden.Units, hidden.Activation, hidden.Normalization));
        Assert.Equal(10, parameters.TrainingHistory.Count);
        AssertClose([-4.9893603f, 4.152759f, 3.8337417f, 3.9681818f], [.. scored.GetColumn<float>("Score")]);
        AssertClose([0.0067639565f, 0.98452234f, 0.9788294f, 0.9814431f], [.. scored.GetColumn<float>("Probability")]);
        Assert.Equal([false, true, true, true], scored.GetColumn<bool>("PredictedLabel"));
    }

    [Fact]
    public void EnsembleModelOfFormat00010003StillLoadsAndPredicts()
    {
        // The first format with checksums (of the stream and of the network, in NetworkSerializer's version 2, with an
        // input transform, a numeric embedding and an ensemble).
        var mlContext = new MLContext(seed: 1);
        var model = mlContext.Model.Load(SavedModel("feedforward-binary-00010003.zip"), out var inputSchema);

        var scored = model.Transform(mlContext.Data.LoadFromEnumerable(CancerTestRows()));

        Assert.Equal(["Benign", "Features"], inputSchema.Select(c => c.Name));
        var parameters = Assert.IsType<BinaryPredictionTransformer<FeedForwardModelParameters>>(model).Model;
        Assert.Equal((InputTransform.RobustSmoothClip, NumericEmbedding.PeriodicLite, 3), (parameters.InputTransform, parameters.NumericEmbedding, parameters.EnsembleSize));
        var hidden = Assert.Single(parameters.HiddenLayers);
        Assert.Equal((8, Activation.ReLU, Normalization.BatchNorm), (hidden.Units, hidden.Activation, hidden.Normalization));
        Assert.Equal(10, parameters.TrainingHistory.Count);
        Assert.All(parameters.Diagnostics!.Records, r => Assert.Equal(8 * 3, r.Units));
        AssertClose([-5.207714f, 4.249472f, 4.2159314f, 4.067436f], [.. scored.GetColumn<float>("Score")]);
        AssertClose([0.0054443697f, 0.9859291f, 0.98545605f, 0.983167f], [.. scored.GetColumn<float>("Probability")]);
        AssertClose([0.0039460463f, 0.011487531f, 0.0037935565f, 0.0051290668f], [.. scored.GetColumn<float>("Uncertainty")]);
        Assert.Equal([false, true, true, true], scored.GetColumn<bool>("PredictedLabel"));
    }

    [Fact]
    public void RegressionModelOfFormat00010002StillLoadsAndPredicts()
    {
        var mlContext = new MLContext(seed: 1);
        var model = mlContext.Model.Load(SavedModel("feedforward-regression-00010002.zip"), out var inputSchema);
        DiabetesRow[] rows =
        [
            new() { Progression = 175f, Features = [42f, 1f, 30.6f, 121f, 176f, 92.8f, 69f, 3f, 4.2627f, 89f] },
            new() { Progression = 93f, Features = [53f, 1f, 22.2f, 78f, 164f, 81f, 70f, 2f, 4.1744f, 101f] },
            new() { Progression = 168f, Features = [79f, 2f, 23.3f, 88f, 186f, 128.4f, 33f, 6f, 4.8122f, 102f] },
            new() { Progression = 275f, Features = [43f, 1f, 35.4f, 93f, 185f, 100.2f, 44f, 4f, 5.3181f, 101f] },
        ];

        var scored = model.Transform(mlContext.Data.LoadFromEnumerable(rows));

        Assert.Equal(["Progression", "Features"], inputSchema.Select(c => c.Name));
        var parameters = Assert.IsType<RegressionPredictionTransformer<FeedForwardModelParameters>>(model).Model;
        var hidden = Assert.Single(parameters.HiddenLayers);
        Assert.Equal((8, Activation.GELU, Normalization.None), (hidden.Units, hidden.Activation, hidden.Normalization));
        Assert.Equal(10, parameters.TrainingHistory.Count);
        Assert.NotNull(parameters.Diagnostics);
        AssertClose([169.16869f, 97.6594f, 116.20002f, 221.49673f], [.. scored.GetColumn<float>("Score")]);
    }

    private static string SavedModel(string name) => Path.Combine(AppContext.BaseDirectory, "SavedModels", name);

    /// <summary>Rows 401-404 of <c>breast_cancer.csv</c>, as the binary models were scored when they were saved.</summary>
    private static CancerRow[] CancerTestRows() =>
    [
        new() { Benign = false, Features = [17.91f, 21.02f, 124.4f, 994f, 0.123f, 0.2576f, 0.3189f, 0.1198f, 0.2113f, 0.07115f, 0.403f, 0.7747f, 3.123f, 41.51f, 0.007159f, 0.03718f, 0.06165f, 0.01051f, 0.01591f, 0.005099f, 20.8f, 27.78f, 149.6f, 1304f, 0.1873f, 0.5917f, 0.9034f, 0.1964f, 0.3245f, 0.1198f] },
        new() { Benign = true, Features = [11.93f, 10.91f, 76.14f, 442.7f, 0.08872f, 0.05242f, 0.02606f, 0.01796f, 0.1601f, 0.05541f, 0.2522f, 1.045f, 1.649f, 18.95f, 0.006175f, 0.01204f, 0.01376f, 0.005832f, 0.01096f, 0.001857f, 13.8f, 20.14f, 87.64f, 589.5f, 0.1374f, 0.1575f, 0.1514f, 0.06876f, 0.246f, 0.07262f] },
        new() { Benign = true, Features = [12.96f, 18.29f, 84.18f, 525.2f, 0.07351f, 0.07899f, 0.04057f, 0.01883f, 0.1874f, 0.05899f, 0.2357f, 1.299f, 2.397f, 20.21f, 0.003629f, 0.03713f, 0.03452f, 0.01065f, 0.02632f, 0.003705f, 14.13f, 24.61f, 96.31f, 621.9f, 0.09329f, 0.2318f, 0.1604f, 0.06608f, 0.3207f, 0.07247f] },
        new() { Benign = true, Features = [12.94f, 16.17f, 83.18f, 507.6f, 0.09879f, 0.08836f, 0.03296f, 0.0239f, 0.1735f, 0.062f, 0.1458f, 0.905f, 0.9975f, 11.36f, 0.002887f, 0.01285f, 0.01613f, 0.007308f, 0.0187f, 0.001972f, 13.86f, 23.02f, 89.69f, 580.9f, 0.1172f, 0.1958f, 0.181f, 0.08388f, 0.3297f, 0.07834f] },
    ];

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance * Math.Max(1, Math.Abs(expected[i])), $"Value {i}: expected {expected[i]}, got {actual[i]}.");
        }
    }

    public sealed class DigitRow
    {
        public float Digit { get; set; }

        [VectorType(64)]
        public float[] Features { get; set; } = [];
    }

    public sealed class CancerRow
    {
        public bool Benign { get; set; }

        [VectorType(30)]
        public float[] Features { get; set; } = [];
    }

    public sealed class DiabetesRow
    {
        public float Progression { get; set; }

        [VectorType(10)]
        public float[] Features { get; set; } = [];
    }
}
