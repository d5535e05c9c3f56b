using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using MlNetDeep.Layers;
using MlNetDeep.Training;

namespace MlNetDeep.Serialization;

/// <summary>
/// The versioned binary format of a trained network. It knows no ML.NET types: the ML.NET layer stores
/// these bytes inside its model <c>.zip</c>.
/// </summary>
/// <remarks>
/// Format (little-endian), identical in <see cref="Write(Stream, SequentialNetwork)"/> and <see cref="Read(Stream)"/>:
/// <code>
/// bytes[8]   magic "MLNDNET1"
/// int32      format version (see <see cref="CurrentVersion"/>)
/// int32      body byte count: the bytes from the architecture to the end marker  (version 2 on)
/// -- body: architecture --
/// int32      input size, int32 task, int32 class count
/// float      input dropout rate
/// int32      weight initializer, byte has-value, float value
/// float      hard-sigmoid slope, byte GELU tanh approximation
/// int32      input transform, int32 numeric embedding, int32 embedding dimension, int32 embedding frequencies,
///            float embedding frequency scale, int32 embedding bins, int32 ensemble size  (version 2 on)
/// int32      hidden block count; per block: int32 units, int32 activation, int32 normalization, float dropout rate
/// -- body: tensor directory (checked against the rebuilt architecture) --
/// int32      tensor count; per tensor: string name, byte kind (0 parameter, 1 buffer), int32 length
/// -- body: values --
/// int32      parameter count, float[parameter count]
/// int32      buffer count, float[buffer count]
/// -- body: optimizer state (may be empty) --
/// int64      optimizer step count, int32 array count; per array: int32 length, float[length]
/// bytes[4]   end marker "END."
/// -- end of body --
/// uint64     XxHash64 (seed 0) of every byte before it: magic, version, body byte count and body  (version 2 on)
/// </code>
/// Version history: 1 — first format; 2 — the input transform, the numeric embedding and the ensemble size (a version 1
/// network standardizes its input, has no embedding and is a single network), and the body's byte count and checksum.
/// Enumerations gain values without a new
/// version (the input transform <see cref="InputTransform.MaxAbs"/>, 3, came later): a reader rejects a value it does
/// not know, naming it.
/// <para>
/// Reading checks the checksum before it parses anything in the body, then checks every value: sizes against the values
/// actually stored (so no corrupted count allocates more than the stream holds or overflows), enumerations, flags, the
/// tensor directory against the rebuilt architecture, and the values a finite input could turn into NaN (non-finite
/// parameters or buffers, negative running variances, non-positive input scales or target standard deviation, quantiles
/// or bin edges out of order). The checksum catches damage; the checks stand on their own, so a body altered with its
/// checksum recomputed still cannot load a network that fails them. XxHash64 rather than CRC-32: a random change goes
/// unnoticed with probability 2⁻⁶⁴ instead of 2⁻³², at a few GB/s. Neither is a signature: whoever can write the file can
/// recompute either.
/// </para>
/// </remarks>
public static class NetworkSerializer
{
    /// <summary>The format version that <see cref="Write(Stream, SequentialNetwork)"/> writes; <see cref="Read(Stream)"/> accepts versions 1 to this one.</summary>
    public const int CurrentVersion = 2;

    /// <summary>The first version with the body's byte count and checksum.</summary>
    private const int FirstVersionWithChecksum = 2;

    /// <summary>Bytes before the body: the magic, the version and the body byte count.</summary>
    private const int HeaderLength = 16;

    /// <summary>Hidden blocks a stored architecture may have.</summary>
    private const int MaxHiddenBlocks = 1 << 16;

    /// <summary>Bytes a read allocates ahead of the data when the stream's length is unknown.</summary>
    private const int ReadBlockBytes = 1 << 20;

    private static readonly byte[] Magic = "MLNDNET1"u8.ToArray();
    private static readonly byte[] EndMarker = "END."u8.ToArray();

    /// <summary>UTF-8 that refuses invalid bytes on reading (the writer's encoder never produces any).</summary>
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Writes <paramref name="network"/> (its spec, then its parameters and buffers) to <paramref name="stream"/> at
    /// the stream's position, and leaves the stream open. The body is built in memory first (its byte count and checksum
    /// are written around it), so it must stay under 2 GiB.
    /// </summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="network">The network to write.</param>
    public static void Write(Stream stream, SequentialNetwork network) => Write(stream, network, optimizerState: null);

    /// <summary>Writes the network and, when not null, the optimizer's state to <paramref name="stream"/>.</summary>
    internal static void Write(Stream stream, SequentialNetwork network, OptimizerState? optimizerState)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(network);
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            WriteBody(writer, network, optimizerState);
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        WriteHeader(header, CurrentVersion, checked((int)body.Length));
        ReadOnlySpan<byte> bodyBytes = body.GetBuffer().AsSpan(0, (int)body.Length);
        Span<byte> checksum = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(checksum, Checksum(header, bodyBytes));
        stream.Write(header);
        stream.Write(bodyBytes);
        stream.Write(checksum);
    }

    /// <summary>
    /// Reads a network written by <see cref="Write(Stream, SequentialNetwork)"/> from the stream's position, and leaves
    /// the stream open after its last byte. The checksum is verified before the body is parsed, then every value is
    /// checked; a truncated, corrupted or foreign stream gives an <see cref="InvalidDataException"/> that says what was wrong.
    /// </summary>
    /// <param name="stream">A readable stream positioned at a written network.</param>
    /// <returns>The network, scoring exactly as the written one did.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid network.</exception>
    public static SequentialNetwork Read(Stream stream) => Read(stream, out _);

    /// <summary>Reads a network and the optimizer state stored with it (empty when none was).</summary>
    internal static SequentialNetwork Read(Stream stream, out OptimizerState optimizerState)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Utf8, leaveOpen: true);
        try
        {
            var magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException("This is not an MlNetDeep network: the header is missing.");
            }

            var version = reader.ReadInt32();
            if (version < 1 || version > CurrentVersion)
            {
                throw new InvalidDataException($"Network format version {version} is not supported (this library reads 1 to {CurrentVersion}); update MlNetDeep.");
            }

            if (version < FirstVersionWithChecksum)
            {
                // No byte count and no checksum: the body is parsed straight from the stream.
                return ReadBody(reader, version, out optimizerState);
            }

            var length = ReadCount(reader, "body byte", Array.MaxLength);
            var body = ReadValues<byte>(stream, length);
            var stored = reader.ReadUInt64();
            Span<byte> header = stackalloc byte[HeaderLength];
            WriteHeader(header, version, length);
            var computed = Checksum(header, body);
            if (computed != stored)
            {
                throw new InvalidDataException($"The network data is corrupted: its checksum does not match its contents (stored 0x{stored:X16}, computed 0x{computed:X16}), so it was changed or damaged after it was written.");
            }

            using var bodyStream = new MemoryStream(body, writable: false);
            using var bodyReader = new BinaryReader(bodyStream, Utf8);
            var network = ReadBody(bodyReader, version, out optimizerState);
            if (bodyStream.Position != body.Length)
            {
                throw new InvalidDataException($"The network data is corrupted: {body.Length - bodyStream.Position} bytes follow its end marker.");
            }

            return network;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The network data is truncated: the stream ends before the network does.", e);
        }
    }

    private static void WriteHeader(Span<byte> header, int version, int bodyLength)
    {
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[Magic.Length..], version);
        BinaryPrimitives.WriteInt32LittleEndian(header[(Magic.Length + sizeof(int))..], bodyLength);
    }

    private static ulong Checksum(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body)
    {
        var hash = new XxHash64();
        hash.Append(header);
        hash.Append(body);
        return hash.GetCurrentHashAsUInt64();
    }

    private static void WriteBody(BinaryWriter writer, SequentialNetwork network, OptimizerState? optimizerState)
    {
        var spec = network.Spec;
        writer.Write(spec.InputSize);
        writer.Write((int)spec.Task);
        writer.Write(spec.ClassCount);
        writer.Write(spec.InputDropoutRate);
        writer.Write((int)spec.WeightInitializer);
        writer.Write(spec.WeightInitializerValue.HasValue);
        writer.Write(spec.WeightInitializerValue ?? 0f);
        writer.Write(spec.HardSigmoidSlope);
        writer.Write(spec.GeluApproximateTanh);
        writer.Write((int)spec.InputTransform);
        writer.Write((int)spec.NumericEmbedding);
        writer.Write(spec.EmbeddingDimension);
        writer.Write(spec.EmbeddingFrequencies);
        writer.Write(spec.EmbeddingFrequencyScale);
        writer.Write(spec.EmbeddingBins);
        writer.Write(spec.EnsembleSize);
        writer.Write(spec.HiddenLayers.Count);
        foreach (var block in spec.HiddenLayers)
        {
            writer.Write(block.Units);
            writer.Write((int)block.Activation);
            writer.Write((int)block.Normalization);
            writer.Write(block.DropoutRate);
        }

        writer.Write(network.ParameterTensors.Count + network.BufferTensors.Count);
        foreach (var tensor in network.ParameterTensors)
        {
            WriteDirectoryEntry(writer, tensor, 0);
        }

        foreach (var tensor in network.BufferTensors)
        {
            WriteDirectoryEntry(writer, tensor, 1);
        }

        WriteArray(writer, network.Parameters);
        WriteArray(writer, network.Buffers);

        writer.Write(optimizerState?.StepCount ?? 0L);
        var arrays = optimizerState?.Arrays ?? [];
        writer.Write(arrays.Count);
        foreach (var array in arrays)
        {
            WriteArray(writer, array);
        }

        writer.Write(EndMarker);
    }

    private static SequentialNetwork ReadBody(BinaryReader reader, int version, out OptimizerState optimizerState)
    {
        var inputSize = reader.ReadInt32();
        var task = ReadEnum<TaskKind>(reader, "task");
        var classCount = reader.ReadInt32();
        var inputDropout = reader.ReadSingle();
        var initializer = ReadEnum<WeightInitializer>(reader, "weight initializer");
        var hasValue = ReadFlag(reader, "weight initializer flag");
        var value = reader.ReadSingle();
        var hardSigmoidSlope = reader.ReadSingle();
        var geluTanh = ReadFlag(reader, "GELU approximation flag");
        var inputTransform = InputTransform.Standardize;
        var embedding = NumericEmbedding.None;
        int embeddingDimension = TrainingDefaults.EmbeddingDimension, embeddingFrequencies = TrainingDefaults.EmbeddingFrequencies, embeddingBins = TrainingDefaults.EmbeddingBins;
        var embeddingFrequencyScale = TrainingDefaults.EmbeddingFrequencyScale;
        var ensembleSize = 1;
        if (version >= 2)
        {
            inputTransform = ReadEnum<InputTransform>(reader, "input transform");
            embedding = ReadEnum<NumericEmbedding>(reader, "numeric embedding");
            embeddingDimension = reader.ReadInt32();
            embeddingFrequencies = reader.ReadInt32();
            embeddingFrequencyScale = reader.ReadSingle();
            embeddingBins = reader.ReadInt32();
            ensembleSize = reader.ReadInt32();
        }

        var hiddenCount = ReadCount(reader, "hidden block", MaxHiddenBlocks);
        var hidden = new HiddenLayerSpec[hiddenCount];
        for (var i = 0; i < hiddenCount; i++)
        {
            hidden[i] = new HiddenLayerSpec(reader.ReadInt32(), ReadEnum<Activation>(reader, "activation"), ReadEnum<Normalization>(reader, "normalization"), reader.ReadSingle());
        }

        var spec = new NetworkSpec
        {
            InputSize = inputSize,
            Task = task,
            ClassCount = classCount,
            HiddenLayers = hidden,
            InputDropoutRate = inputDropout,
            WeightInitializer = initializer,
            WeightInitializerValue = hasValue ? value : null,
            HardSigmoidSlope = hardSigmoidSlope,
            GeluApproximateTanh = geluTanh,
            InputTransform = inputTransform,
            NumericEmbedding = embedding,
            EmbeddingDimension = embeddingDimension,
            EmbeddingFrequencies = embeddingFrequencies,
            EmbeddingFrequencyScale = embeddingFrequencyScale,
            EmbeddingBins = embeddingBins,
            EnsembleSize = ensembleSize,
        };
        try
        {
            spec.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The stored architecture is invalid: {e.Message} The network data is corrupted.", e);
        }

        var tensorCount = ReadCount(reader, "tensor", 1 << 20);
        var directory = new List<(string Name, byte Kind, int Length)>();
        for (var i = 0; i < tensorCount; i++)
        {
            directory.Add((ReadName(reader), reader.ReadByte(), reader.ReadInt32()));
        }

        var parameters = ReadArray(reader, "parameter");
        var buffers = ReadArray(reader, "buffer");
        var step = reader.ReadInt64();
        if (step < 0)
        {
            throw new InvalidDataException($"The stored optimizer step count {step} is negative: the network data is corrupted.");
        }

        var arrayCount = ReadCount(reader, "optimizer state array", 16);
        var arrays = new float[arrayCount][];
        for (var i = 0; i < arrayCount; i++)
        {
            arrays[i] = ReadArray(reader, "optimizer state");
            CheckFinite(arrays[i], "an optimizer state value");
        }

        if (!reader.ReadBytes(EndMarker.Length).AsSpan().SequenceEqual(EndMarker))
        {
            throw new InvalidDataException("The network data does not end where its header says: it is corrupted.");
        }

        CheckSizes(spec, parameters.Length, buffers.Length);
        SequentialNetwork network;
        try
        {
            network = SequentialNetwork.FromValues(spec, parameters, buffers);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"The stored architecture cannot be built ({e.Message}): the network data is corrupted.", e);
        }

        var expected = network.ParameterTensors.Select(t => (t.Name, (byte)0, t.View.Length))
            .Concat(network.BufferTensors.Select(t => (t.Name, (byte)1, t.View.Length)))
            .ToList();
        if (!expected.SequenceEqual(directory))
        {
            throw new InvalidDataException("The stored tensors do not match the stored architecture: the network data is corrupted.");
        }

        CheckFinite(network.Parameters, "a parameter");
        CheckFinite(network.Buffers, "a buffer value");
        CheckScales(network);
        CheckFittedStatistics(network);
        optimizerState = new OptimizerState(step, arrays);
        return network;
    }

    private static void WriteDirectoryEntry(BinaryWriter writer, NamedTensor tensor, byte kind)
    {
        writer.Write(tensor.Name);
        writer.Write(kind);
        writer.Write(tensor.View.Length);
    }

    private static void WriteArray(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static float[] ReadArray(BinaryReader reader, string what)
        => ReadValues<float>(reader.BaseStream, ReadCount(reader, what, Array.MaxLength / sizeof(float)));

    /// <summary>
    /// Reads <paramref name="count"/> values. On a stream of known length a count past its end fails before anything is
    /// allocated; otherwise the array grows block by block as the bytes arrive, so a corrupted count cannot allocate more
    /// than twice what the stream holds.
    /// </summary>
    private static T[] ReadValues<T>(Stream stream, int count)
        where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        if (stream.CanSeek && (long)count * size > stream.Length - stream.Position)
        {
            throw new EndOfStreamException();
        }

        var values = new T[stream.CanSeek ? count : Math.Min(count, ReadBlockBytes / size)];
        var filled = 0;
        while (true)
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan(filled)));
            filled = values.Length;
            if (filled == count)
            {
                return values;
            }

            Array.Resize(ref values, (int)Math.Min(count, 2L * filled));
        }
    }

    /// <summary>A tensor name: a 7-bit encoded length, then that many bytes of UTF-8 (checked, see <see cref="Utf8"/>).</summary>
    private static string ReadName(BinaryReader reader)
    {
        try
        {
            return reader.ReadString();
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            throw new InvalidDataException($"A stored tensor name is malformed ({e.Message}): the network data is corrupted.", e);
        }
    }

    private static int ReadCount(BinaryReader reader, string what, int max)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > max)
        {
            throw new InvalidDataException($"The stored {what} count {count} is out of range: the network data is corrupted.");
        }

        return count;
    }

    private static T ReadEnum<T>(BinaryReader reader, string what)
        where T : struct, Enum
    {
        var raw = reader.ReadInt32();
        var value = (T)(object)raw;
        if (!Enum.IsDefined(value))
        {
            throw new InvalidDataException($"The stored {what} {raw} is unknown: the network data is corrupted or from a newer version.");
        }

        return value;
    }

    /// <summary>A boolean written by <see cref="BinaryWriter"/>: 0 or 1, nothing else.</summary>
    private static bool ReadFlag(BinaryReader reader, string what)
    {
        var raw = reader.ReadByte();
        return raw switch
        {
            0 => false,
            1 => true,
            _ => throw new InvalidDataException($"The stored {what} is {raw}, not 0 or 1: the network data is corrupted."),
        };
    }

    /// <summary>
    /// Bounds the architecture by the values actually stored, before it is built: each size below is the length of at least
    /// one tensor of the layout (see <see cref="NetworkBuilder"/>), so a corrupted size fails here instead of overflowing or
    /// allocating more than the stream held. The exact layout is checked once the network is built.
    /// </summary>
    private static void CheckSizes(NetworkSpec spec, int parameterCount, int bufferCount)
    {
        var members = spec.EnsembleSize;

        // input.mean and input.scale [InputSize]; input.quantiles [InputSize, QuantileCount].
        var inputBuffers = (spec.InputTransform == InputTransform.Quantile ? 2L + QuantileTransform.QuantileCount : 2L) * spec.InputSize;
        CheckSize(inputBuffers <= bufferCount, $"{spec.InputSize} input features need {inputBuffers} buffer values", parameterCount, bufferCount);

        // A block's dense weight [units, in] (one member) or its per-member scales s [k, units].
        for (var i = 0; i < spec.HiddenLayers.Count; i++)
        {
            var units = spec.HiddenLayers[i].Units;
            CheckSize((long)units * members <= parameterCount, $"hidden block {i} has {units} units in {members} members", parameterCount, bufferCount);
        }

        // The output layer's bias [OutputSize] or [k, OutputSize].
        CheckSize((long)spec.OutputSize * members <= parameterCount, $"the output layer has {spec.OutputSize} units in {members} members", parameterCount, bufferCount);
        switch (spec.NumericEmbedding)
        {
            case NumericEmbedding.Periodic or NumericEmbedding.PeriodicLite:
                // embedding.frequencies [InputSize, K], embedding.bias [d] or [InputSize, d].
                CheckSize((long)spec.InputSize * spec.EmbeddingFrequencies <= parameterCount && spec.EmbeddingDimension <= parameterCount, $"the embedding has {spec.EmbeddingFrequencies} frequencies and {spec.EmbeddingDimension} values per feature", parameterCount, bufferCount);
                break;
            case NumericEmbedding.PiecewiseLinear:
                // embedding.edges [InputSize, T + 1], embedding.bias [InputSize, d].
                CheckSize(spec.InputSize * (spec.EmbeddingBins + 1L) <= bufferCount && spec.EmbeddingDimension <= parameterCount, $"the embedding has {spec.EmbeddingBins} bins and {spec.EmbeddingDimension} values per feature", parameterCount, bufferCount);
                break;
        }
    }

    private static void CheckSize(bool fits, string what, int parameterCount, int bufferCount)
    {
        if (!fits)
        {
            throw new InvalidDataException($"The stored architecture does not fit the values stored with it ({what}, but {parameterCount} parameters and {bufferCount} buffer values are stored): the network data is corrupted.");
        }
    }

    /// <summary>
    /// Variances and scales must not be negative (batch norm would take the square root of a negative number), and the input
    /// scales and the target's standard deviation must be positive, as training writes them.
    /// </summary>
    private static void CheckScales(SequentialNetwork network)
    {
        foreach (var tensor in network.BufferTensors)
        {
            if (tensor.Spec.Role == ParameterRole.RunningVariance && TensorPrimitives.Min<float>(tensor.View.Span) < 0)
            {
                throw new InvalidDataException($"The stored {tensor.Name} has a negative value: the network data is corrupted.");
            }
        }

        if (!(TensorPrimitives.Min<float>(network.InputScale) > 0))
        {
            throw new InvalidDataException("The stored input.scale has a value of zero: the network data is corrupted.");
        }

        if (!(network.TargetStd > 0))
        {
            throw new InvalidDataException("The stored target.std is zero: the network data is corrupted.");
        }
    }

    /// <summary>
    /// The fitted quantiles and bin edges must be sorted (and the gap between two edges finite, as the encoding divides by it),
    /// and each feature's bin count in range, or scoring would read past them.
    /// </summary>
    private static void CheckFittedStatistics(SequentialNetwork network)
    {
        foreach (var layer in network.Layers)
        {
            if (layer is QuantileTransform quantile && !IsSorted(quantile.Quantiles, QuantileTransform.QuantileCount, finiteSteps: false))
            {
                throw new InvalidDataException("The stored input quantiles are not in order: the network data is corrupted.");
            }

            if (layer is NumericEmbeddingLayer { Kind: NumericEmbedding.PiecewiseLinear } embedding)
            {
                foreach (var bins in embedding.BinCounts)
                {
                    if (bins != MathF.Floor(bins) || bins < 1 || bins > embedding.Bins)
                    {
                        throw new InvalidDataException($"A stored bin count ({bins}) is out of range: the network data is corrupted.");
                    }
                }

                if (!IsSorted(embedding.Edges, embedding.Bins + 1, finiteSteps: true))
                {
                    throw new InvalidDataException("The stored bin edges are not in order: the network data is corrupted.");
                }
            }
        }
    }

    /// <summary>Whether every run of <paramref name="length"/> values is non-decreasing (with finite float steps, when asked).</summary>
    private static bool IsSorted(ReadOnlySpan<float> values, int length, bool finiteSteps)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (i % length != 0 && (values[i] < values[i - 1] || (finiteSteps && !float.IsFinite(values[i] - values[i - 1]))))
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckFinite(float[] values, string what)
    {
        if (!TensorPrimitives.IsFiniteAll<float>(values))
        {
            throw new InvalidDataException($"The stored network has {what} that is NaN or infinite: it is corrupted.");
        }
    }
}

/// <summary>The optimizer's moments and step count, stored beside the network so training can resume.</summary>
/// <param name="StepCount">Steps taken so far.</param>
/// <param name="Arrays">The optimizer's state arrays (moments), each as long as the parameters.</param>
internal sealed record OptimizerState(long StepCount, IReadOnlyList<float[]> Arrays);
