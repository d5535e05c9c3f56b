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
        // The first hidden block's activation follows the fixed-size header fields.
        var offset = 8 + 4 + 4 + 4 + 4 + 4 + 4 + 1 + 4 + 4 + 1 + 4 + 4;
        BitConverter.GetBytes(999).CopyTo(badActivation, offset);
        Assert.Contains("activation", Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(badActivation), out _)).Message);

        var nan = (byte[])bytes.Clone();
        BitConverter.GetBytes(float.NaN).CopyTo(nan, nan.Length - 4 - 8 - 4 - 4);
        Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(nan), out _));
    }
}
