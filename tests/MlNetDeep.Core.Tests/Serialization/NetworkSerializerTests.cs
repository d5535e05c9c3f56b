using MlNetDeep.Layers;
using MlNetDeep.Serialization;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Serialization;

public class NetworkSerializerTests
{
    private static SequentialNetwork TrainedNetwork()
    {
        var spec = new NetworkSpec
        {
            InputSize = 4,
            Task = TaskKind.Multiclass,
            ClassCount = 3,
            InputDropoutRate = 0.1f,
            HiddenLayers =
            [
                new HiddenLayerSpec(9, Activation.PReLU, Normalization.BatchNorm, 0.2f),
                new HiddenLayerSpec(5, Activation.HardSigmoid, Normalization.LayerNorm, 0f),
            ],
            HardSigmoidSlope = 0.2f,
        };
        var random = new MlNetDeep.Compute.RandomGenerator(1);
        var features = Enumerable.Range(0, 400).Select(_ => (float)random.NextGaussian()).ToArray();
        var labels = Enumerable.Range(0, 100).Select(i => (float)((features[4 * i] > 0 ? 1 : 0) + (features[(4 * i) + 1] > 0.5 ? 1 : 0))).ToArray();
        return NetworkTrainer.Train(spec, new TrainingData(features, 100, 4, labels), new TrainingSettings { NumberOfEpochs = 3, BatchSize = 10, Seed = 1 }).Network;
    }

    private static byte[] Save(SequentialNetwork network)
    {
        using var stream = new MemoryStream();
        NetworkSerializer.Write(stream, network);
        return stream.ToArray();
    }

    [Fact]
    public void RoundTripKeepsEveryValueAndPrediction()
    {
        var network = TrainedNetwork();
        var loaded = NetworkSerializer.Read(new MemoryStream(Save(network)), out _);
        Assert.Equal(network.Parameters, loaded.Parameters);
        Assert.Equal(network.Buffers, loaded.Buffers);
        Assert.Equal(network.Spec.HardSigmoidSlope, loaded.Spec.HardSigmoidSlope);
        Assert.Equal(network.Spec.HiddenLayers, loaded.Spec.HiddenLayers);

        var x = Enumerable.Range(0, 40).Select(i => (float)Math.Sin(i)).ToArray();
        var expected = new float[30];
        var actual = new float[30];
        network.CreateScorer().Score(x, expected, 10);
        loaded.CreateScorer().Score(x, actual, 10);
        Assert.Equal(expected, actual);
        Assert.Equal(Save(network), Save(loaded));
    }

    [Fact]
    public void OptimizerStateRoundTrips()
    {
        var network = TrainedNetwork();
        var state = new OptimizerState(42, [[1f, 2f], [3f]]);
        using var stream = new MemoryStream();
        NetworkSerializer.Write(stream, network, state);
        stream.Position = 0;
        NetworkSerializer.Read(stream, out var loaded);
        Assert.Equal(42, loaded.StepCount);
        Assert.Equal([1f, 2f], loaded.Arrays[0]);
        Assert.Equal([3f], loaded.Arrays[1]);
    }

    [Fact]
    public void TruncatedDataIsRejectedAtEveryLength()
    {
        var bytes = Save(TrainedNetwork());
        foreach (var length in new[] { 0, 4, 8, 12, 40, bytes.Length / 2, bytes.Length - 5, bytes.Length - 1 })
        {
            var error = Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(bytes, 0, length), out _));
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }
    }

    [Fact]
    public void ForeignOrCorruptedDataIsRejectedWithAReason()
    {
        var bytes = Save(TrainedNetwork());

        var foreign = (byte[])bytes.Clone();
        foreign[0] = (byte)'X';
        Assert.Contains("not an MlNetDeep network", Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(foreign), out _)).Message);

        var future = (byte[])bytes.Clone();
        BitConverter.GetBytes(NetworkSerializer.CurrentVersion + 1).CopyTo(future, 8);
        Assert.Contains("version", Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(future), out _)).Message);

        var badActivation = (byte[])bytes.Clone();
        // The first hidden block's activation follows the fixed-size header fields (version 2: six input-side fields and the ensemble size).
        var offset = 8 + 4 + 4 + 4 + 4 + 4 + 4 + 1 + 4 + 4 + 1 + (7 * 4) + 4 + 4;
        BitConverter.GetBytes(999).CopyTo(badActivation, offset);
        Assert.Contains("activation", Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(badActivation), out _)).Message);

        var nan = (byte[])bytes.Clone();
        BitConverter.GetBytes(float.NaN).CopyTo(nan, nan.Length - 4 - 8 - 4 - 4);
        Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(nan), out _));
    }

    private static SequentialNetwork TrainedNetwork(InputTransform transform, NumericEmbedding embedding)
    {
        var spec = new NetworkSpec
        {
            InputSize = 3,
            Task = TaskKind.Regression,
            HiddenLayers = [new HiddenLayerSpec(6, Activation.ReLU, Normalization.BatchNorm, 0.1f)],
            InputTransform = transform,
            NumericEmbedding = embedding,
            EmbeddingDimension = 3,
            EmbeddingFrequencies = 2,
            EmbeddingBins = 5,
        };
        var random = new MlNetDeep.Compute.RandomGenerator(2);
        var features = Enumerable.Range(0, 240).Select(i => i % 3 == 2 ? (float)(i % 7) : (float)Math.Exp(random.NextGaussian())).ToArray();
        var targets = Enumerable.Range(0, 80).Select(i => features[3 * i] - features[(3 * i) + 2]).ToArray();
        return NetworkTrainer.Train(spec, new TrainingData(features, 80, 3, targets), new TrainingSettings { NumberOfEpochs = 3, BatchSize = 16, Seed = 3 }).Network;
    }

    [Theory]
    [InlineData(InputTransform.RobustSmoothClip, NumericEmbedding.None)]
    [InlineData(InputTransform.Quantile, NumericEmbedding.None)]
    [InlineData(InputTransform.MaxAbs, NumericEmbedding.None)]
    [InlineData(InputTransform.Standardize, NumericEmbedding.Periodic)]
    [InlineData(InputTransform.RobustSmoothClip, NumericEmbedding.PeriodicLite)]
    [InlineData(InputTransform.Quantile, NumericEmbedding.PiecewiseLinear)]
    public void InputTransformsAndEmbeddingsRoundTrip(InputTransform transform, NumericEmbedding embedding)
    {
        var network = TrainedNetwork(transform, embedding);
        var bytes = Save(network);
        var loaded = NetworkSerializer.Read(new MemoryStream(bytes), out _);
        Assert.Equal(transform, loaded.Spec.InputTransform);
        Assert.Equal(embedding, loaded.Spec.NumericEmbedding);
        Assert.Equal(network.Parameters, loaded.Parameters);
        Assert.Equal(network.Buffers, loaded.Buffers);
        Assert.Equal(bytes, Save(loaded));

        var x = Enumerable.Range(0, 60).Select(i => (float)(Math.Sin(i) * 3)).ToArray();
        var expected = new float[20];
        var actual = new float[20];
        network.CreateScorer().Score(x, expected, 20);
        loaded.CreateScorer().Score(x, actual, 20);
        Assert.Equal(expected, actual);
        Assert.All(expected, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void DisorderedQuantilesOrBinsAreRejected()
    {
        var quantile = TrainedNetwork(InputTransform.Quantile, NumericEmbedding.None);
        quantile.Layers.OfType<QuantileTransform>().Single().Quantiles[5] = 1e6f;
        Assert.Contains("quantiles", Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(Save(quantile)), out _)).Message);

        var binned = TrainedNetwork(InputTransform.Standardize, NumericEmbedding.PiecewiseLinear);
        binned.Layers.OfType<NumericEmbeddingLayer>().Single().BinCounts[1] = 9;
        Assert.Contains("bin count", Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(Save(binned)), out _)).Message);
    }
}
