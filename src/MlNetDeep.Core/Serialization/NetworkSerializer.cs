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
/// -- architecture --
/// int32      input size, int32 task, int32 class count
/// float      input dropout rate
/// int32      weight initializer, byte has-value, float value
/// float      hard-sigmoid slope, byte GELU tanh approximation
/// int32      input transform, int32 numeric embedding, int32 embedding dimension, int32 embedding frequencies,
///            float embedding frequency scale, int32 embedding bins, int32 ensemble size  (version 2 on)
/// int32      hidden block count; per block: int32 units, int32 activation, int32 normalization, float dropout rate
/// -- tensor directory (checked against the rebuilt architecture) --
/// int32      tensor count; per tensor: string name, byte kind (0 parameter, 1 buffer), int32 length
/// -- values --
/// int32      parameter count, float[parameter count]
/// int32      buffer count, float[buffer count]
/// -- optimizer state (may be empty) --
/// int64      optimizer step count, int32 array count; per array: int32 length, float[length]
/// bytes[4]   end marker "END."
/// </code>
/// Version history: 1 — first format; 2 — the input transform, the numeric embedding and the ensemble size (a version 1
/// network standardizes its input, has no embedding and is a single network). Enumerations gain values without a new
/// version (the input transform <see cref="InputTransform.MaxAbs"/>, 3, came later): a reader rejects a value it does
/// not know, naming it.
/// </remarks>
public static class NetworkSerializer
{
    /// <summary>The format version that <see cref="Write(Stream, SequentialNetwork)"/> writes; <see cref="Read(Stream)"/> accepts versions 1 to this one.</summary>
    public const int CurrentVersion = 2;

    private static readonly byte[] Magic = "MLNDNET1"u8.ToArray();
    private static readonly byte[] EndMarker = "END."u8.ToArray();

    /// <summary>
    /// Writes <paramref name="network"/> (its spec, then its parameters and buffers) to <paramref name="stream"/> at
    /// the stream's position, and leaves the stream open.
    /// </summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="network">The network to write.</param>
    public static void Write(Stream stream, SequentialNetwork network) => Write(stream, network, optimizerState: null);

    /// <summary>Writes the network and, when not null, the optimizer's state to <paramref name="stream"/>.</summary>
    internal static void Write(Stream stream, SequentialNetwork network, OptimizerState? optimizerState)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(network);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(CurrentVersion);

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

    /// <summary>
    /// Reads a network written by <see cref="Write(Stream, SequentialNetwork)"/> from the stream's position, and leaves
    /// the stream open. Every value is checked; a truncated, corrupted or foreign stream gives an
    /// <see cref="InvalidDataException"/> that says what was wrong.
    /// </summary>
    /// <param name="stream">A readable stream positioned at a written network.</param>
    /// <returns>The network, scoring exactly as the written one did.</returns>
    /// <exception cref="InvalidDataException">The stream does not hold a valid network.</exception>
    public static SequentialNetwork Read(Stream stream) => Read(stream, out _);

    /// <summary>Reads a network and the optimizer state stored with it (empty when none was).</summary>
    internal static SequentialNetwork Read(Stream stream, out OptimizerState optimizerState)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
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

            var inputSize = reader.ReadInt32();
            var task = ReadEnum<TaskKind>(reader, "task");
            var classCount = reader.ReadInt32();
            var inputDropout = reader.ReadSingle();
            var initializer = ReadEnum<WeightInitializer>(reader, "weight initializer");
            var hasValue = reader.ReadBoolean();
            var value = reader.ReadSingle();
            var hardSigmoidSlope = reader.ReadSingle();
            var geluTanh = reader.ReadBoolean();
            var inputTransform = InputTransform.Standardize;
            var embedding = NumericEmbedding.None;
            int embeddingDimension = Training.TrainingDefaults.EmbeddingDimension, embeddingFrequencies = Training.TrainingDefaults.EmbeddingFrequencies, embeddingBins = Training.TrainingDefaults.EmbeddingBins;
            var embeddingFrequencyScale = Training.TrainingDefaults.EmbeddingFrequencyScale;
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

            var hiddenCount = ReadCount(reader, "hidden block", 1 << 16);
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
                throw new InvalidDataException($"The stored architecture is invalid: {e.Message}", e);
            }

            var directory = new List<(string Name, byte Kind, int Length)>();
            var tensorCount = ReadCount(reader, "tensor", 1 << 20);
            for (var i = 0; i < tensorCount; i++)
            {
                directory.Add((reader.ReadString(), reader.ReadByte(), reader.ReadInt32()));
            }

            var parameters = ReadArray(reader, "parameters");
            var buffers = ReadArray(reader, "buffers");
            var step = reader.ReadInt64();
            var arrayCount = ReadCount(reader, "optimizer state array", 16);
            var arrays = new float[arrayCount][];
            for (var i = 0; i < arrayCount; i++)
            {
                arrays[i] = ReadArray(reader, "optimizer state");
            }

            if (!reader.ReadBytes(EndMarker.Length).AsSpan().SequenceEqual(EndMarker))
            {
                throw new InvalidDataException("The network data does not end where its header says: it is corrupted.");
            }

            var network = SequentialNetwork.FromValues(spec, parameters, buffers);
            var expected = network.ParameterTensors.Select(t => (t.Name, (byte)0, t.View.Length))
                .Concat(network.BufferTensors.Select(t => (t.Name, (byte)1, t.View.Length)))
                .ToList();
            if (!expected.SequenceEqual(directory))
            {
                throw new InvalidDataException("The stored tensors do not match the stored architecture: the network data is corrupted.");
            }

            CheckFinite(network.Parameters, "a parameter");
            CheckFinite(network.Buffers, "a buffer value");
            CheckFittedStatistics(network);
            optimizerState = new OptimizerState(step, arrays);
            return network;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The network data is truncated.", e);
        }
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
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static float[] ReadArray(BinaryReader reader, string what)
    {
        var length = ReadCount(reader, what, int.MaxValue / sizeof(float));
        var values = new float[length];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        if (reader.Read(bytes) != bytes.Length)
        {
            throw new EndOfStreamException();
        }

        return values;
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

    /// <summary>The fitted quantiles and bin edges must be sorted, and each feature's bin count in range, or scoring would read past them.</summary>
    private static void CheckFittedStatistics(SequentialNetwork network)
    {
        foreach (var layer in network.Layers)
        {
            if (layer is QuantileTransform quantile && !IsSorted(quantile.Quantiles, QuantileTransform.QuantileCount))
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

                if (!IsSorted(embedding.Edges, embedding.Bins + 1))
                {
                    throw new InvalidDataException("The stored bin edges are not in order: the network data is corrupted.");
                }
            }
        }
    }

    /// <summary>Whether every run of <paramref name="length"/> values is non-decreasing.</summary>
    private static bool IsSorted(ReadOnlySpan<float> values, int length)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (i % length != 0 && values[i] < values[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckFinite(float[] values, string what)
    {
        if (!System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(values))
        {
            throw new InvalidDataException($"The stored network has {what} that is NaN or infinite: it is corrupted.");
        }
    }
}

/// <summary>The optimizer's moments and step count, stored beside the network so training can resume.</summary>
/// <param name="StepCount">Steps taken so far.</param>
/// <param name="Arrays">The optimizer's state arrays (moments), each as long as the parameters.</param>
internal sealed record OptimizerState(long StepCount, IReadOnlyList<float[]> Arrays);
