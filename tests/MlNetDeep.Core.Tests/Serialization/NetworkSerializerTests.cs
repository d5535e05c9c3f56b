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

        // With its checksum recomputed, so that the check of the field itself is what refuses it.
        var badActivation = (byte[])bytes.Clone();
        BitConverter.GetBytes(999).CopyTo(badActivation, FirstActivationOffset);
        Assert.Contains("activation", Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(Reseal(badActivation)), out _)).Message);

        var nan = (byte[])bytes.Clone();
        // The last buffer value precedes the optimizer step count, the array count, the end marker and the checksum.
        BitConverter.GetBytes(float.NaN).CopyTo(nan, nan.Length - 4 - 8 - 4 - 4 - 8);
        Assert.Contains("NaN", Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(Reseal(nan)), out _)).Message);
    }

    [Fact]
    public void AnyChangedByteFailsTheChecksumBeforeAnythingIsParsed()
    {
        var bytes = Save(TrainedNetwork());
        var random = new Random(5);
        for (var trial = 0; trial < 200; trial++)
        {
            var changed = (byte[])bytes.Clone();
            // Past the magic, the version and the byte count, which are checked on their own.
            var at = random.Next(16, changed.Length);
            changed[at] ^= (byte)(1 << random.Next(8));
            var error = Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(changed), out _));
            Assert.Contains("checksum", error.Message);
        }
    }

    [Fact]
    public void ReadStopsAfterTheChecksumAndRefusesBytesAfterTheEndMarker()
    {
        var bytes = Save(TrainedNetwork());
        using var stream = new MemoryStream([.. bytes, .. "tail"u8]);
        NetworkSerializer.Read(stream, out _);
        Assert.Equal(bytes.Length, stream.Position);

        // Four bytes slipped in after the end marker, counted in the body and sealed.
        var longer = new List<byte>(bytes[..^8]);
        longer.AddRange([1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0]);
        var padded = longer.ToArray();
        BitConverter.GetBytes(BitConverter.ToInt32(padded, 12) + 4).CopyTo(padded, 12);
        Assert.Contains("follow its end marker", Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(Reseal(padded)), out _)).Message);
    }

    [Fact]
    public void Version1NetworksStillLoad()
    {
        var network = TrainedNetwork();
        var version1 = ToVersion1(Save(network));

        var loaded = NetworkSerializer.Read(new MemoryStream(version1));
        Assert.Equal(network.Parameters, loaded.Parameters);
        Assert.Equal(network.Buffers, loaded.Buffers);
        Assert.Equal(network.Spec.HiddenLayers, loaded.Spec.HiddenLayers);

        // Version 1 has no checksum; its values are still checked.
        var nan = (byte[])version1.Clone();
        BitConverter.GetBytes(float.NaN).CopyTo(nan, nan.Length - 4 - 8 - 4 - 4);
        Assert.Contains("NaN", Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(nan))).Message);
    }

    [Fact]
    public void UnsafeValuesWrittenWithAValidChecksumAreStillRefused()
    {
        // Each network is changed in memory and written normally, so its checksum matches what it holds.
        AssertRefused("running_var", network => network.BufferTensors.Single(t => t.Name == "layers.0.running_var").View.Span[2] = -0.5f);
        AssertRefused("NaN", network => network.Parameters[7] = float.NaN);
        AssertRefused("NaN", network => network.Buffers[^1] = float.PositiveInfinity);
        AssertRefused("input.scale", network => network.InputScale[1] = 0f);
        AssertRefused("input.scale", network => network.InputScale[1] = -2f);
        AssertRefused("target.std", network => network.TargetStd = 0f, TrainedNetwork(InputTransform.Standardize, NumericEmbedding.None));

        static void AssertRefused(string expected, Action<SequentialNetwork> alter, SequentialNetwork? network = null)
        {
            network ??= TrainedNetwork();
            alter(network);
            var error = Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(Save(network)), out _));
            Assert.Contains(expected, error.Message);
            Assert.Contains("corrupted", error.Message);
        }
    }

    [Theory]
    [InlineData(16, int.MaxValue, "does not fit")] // input size
    [InlineData(16, int.MinValue, "input feature")]
    [InlineData(24, 1 << 30, "does not fit")] // class count
    [InlineData(74, int.MaxValue, "hidden block count")]
    [InlineData(74, -1, "hidden block count")]
    [InlineData(78, int.MaxValue, "does not fit")] // units of the first hidden block
    [InlineData(78, 1 << 16, "does not fit")]
    [InlineData(70, 1024, "does not fit")] // ensemble size
    [InlineData(70, 1025, "ensemble")]
    public void StructuralFieldsOutOfRangeAreRefusedEvenWithAValidChecksum(int offset, int value, string expected)
    {
        var bytes = Save(TrainedNetwork());
        BitConverter.GetBytes(value).CopyTo(bytes, offset);
        var error = Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(Reseal(bytes)), out _));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void FlagsOtherThanZeroOrOneAreRefused()
    {
        var bytes = Save(TrainedNetwork());
        // The GELU approximation flag, after the hard-sigmoid slope.
        bytes[16 + 29] = 2;
        Assert.Contains("GELU approximation flag", Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(Reseal(bytes)), out _)).Message);
    }

    [Fact]
    public void MalformedTensorNamesAreRefused()
    {
        // The first tensor name follows the hidden block count, the two blocks and the tensor count: a 7-bit encoded length, then UTF-8.
        var nameOffset = FirstActivationOffset - 8 + 4 + (2 * 16) + 4;
        var bytes = Save(TrainedNetwork());
        Assert.Equal((byte)"layers.0.weight".Length, bytes[nameOffset]);

        var endlessLength = (byte[])bytes.Clone();
        endlessLength.AsSpan(nameOffset, 5).Fill(0xFF);
        Assert.Contains("tensor name is malformed", Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(Reseal(endlessLength)), out _)).Message);

        var invalidUtf8 = (byte[])bytes.Clone();
        invalidUtf8[nameOffset + 1] = 0xFF;
        Assert.Contains("tensor name is malformed", Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new MemoryStream(Reseal(invalidUtf8)), out _)).Message);
    }

    [Fact]
    public void HugeCountsOnAStreamOfUnknownLengthFailWithoutAllocatingThem()
    {
        var bytes = Save(TrainedNetwork());

        // Whole, read in small pieces from a stream that cannot seek, as a network or compressed stream would give it.
        var loaded = NetworkSerializer.Read(new TrickleStream(bytes), out _);
        Assert.Equal(NetworkSerializer.Read(new MemoryStream(bytes), out _).Parameters, loaded.Parameters);

        // A body byte count near the largest array, on a stream that ends long before it.
        var huge = (byte[])bytes.Clone();
        BitConverter.GetBytes(Array.MaxLength).CopyTo(huge, 12);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => NetworkSerializer.Read(new TrickleStream(huge), out _)).Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L << 20, "reading a truncated stream allocated its claimed length");
    }

    /// <summary>Where the first hidden block's activation is: after the header and the fixed-size architecture fields.</summary>
    private const int FirstActivationOffset = 16 + 4 + 4 + 4 + 4 + 4 + 1 + 4 + 4 + 1 + (7 * 4) + 4 + 4;

    /// <summary>Recomputes the checksum of a written network after its bytes were changed.</summary>
    private static byte[] Reseal(byte[] bytes)
    {
        BitConverter.GetBytes(System.IO.Hashing.XxHash64.HashToUInt64(bytes.AsSpan(0, bytes.Length - 8))).CopyTo(bytes, bytes.Length - 8);
        return bytes;
    }

    /// <summary>
    /// A version 2 network with the version 2 defaults (standardized input, no embedding, one member) as version 1 wrote it:
    /// no byte count, no input-side fields, no checksum.
    /// </summary>
    private static byte[] ToVersion1(byte[] version2)
    {
        var body = version2.AsSpan(16, version2.Length - 16 - 8);
        return [.. "MLNDNET1"u8, .. BitConverter.GetBytes(1), .. body[..30], .. body[58..]];
    }

    /// <summary>A read-only stream that cannot seek and hands out at most 7 bytes per read.</summary>
    private sealed class TrickleStream(byte[] bytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 7), bytes.Length - _position);
            Array.Copy(bytes, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
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
