using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetDeep;
using MlNetDeep.Diagnostics;
using MlNetDeep.Internal;
using MlNetDeep.Layers;
using MlNetDeep.Serialization;
using MlNetDeep.Training;

[assembly: LoadableClass(typeof(FeedForwardModelParameters), null, typeof(SignatureLoadModel), "MlNetDeep Feed-Forward Network", FeedForwardModelParameters.LoaderSignature)]

namespace MlNetDeep;

// The ML.NET side of FeedForwardModelParameters: persistence and scoring through ML.NET's internal interfaces.
//
// One sealed type serves the three tasks, so that every prediction transformer, trained or loaded, is
// XxxPredictionTransformer<FeedForwardModelParameters>. ML.NET's transformer loaders load the model as
// IPredictorProducing<float> (binary, regression) or IPredictorProducing<VBuffer<float>> (multiclass) and then build
// the transformer over the model's runtime type; a ModelParametersBase<T> subclass implements only one of the two, so
// this type implements both interfaces itself. ML.NET picks the score columns by the predictor's interfaces
// (IValueMapperDist adds Probability), which one type cannot vary by task, so the model is its own
// ISchemaBindableMapper and binds through ML.NET's standard wrapper around a task-specific NetworkValueMapper.
public sealed partial class FeedForwardModelParameters : ICanSaveModel, IPredictorProducing<float>, IPredictorProducing<VBuffer<float>>, ISchemaBindableMapper
{
    /// <summary>The name registered with ML.NET's component catalog (at most 24 characters).</summary>
    internal const string LoaderSignature = "MlNetDeepFeedForward";

    private const string StreamName = "FeedForwardNetwork.bin";

    // Version history: 0x00010001 = model task, class names, best epoch, training history, network (NetworkSerializer).
    //                  0x00010002 = adds the per-layer training diagnostics and the Monte Carlo dropout passes after the network.
    //                  0x00010003 = adds the XxHash64 checksum of the stream's other bytes at its end, verified before anything
    //                               in the stream is read; the network is in NetworkSerializer's version 2, which no reader of
    //                               an earlier version reads, so this version is also the oldest reader's.
    private const uint VersionWithDiagnostics = 0x00010002;
    private const uint VersionWithChecksum = 0x00010003;

    // Bytes of one training-history record and of one diagnostics record (see the format in the load constructor).
    private const int EpochRecordBytes = 4 + 8 + 1 + (5 * 8);
    private const int DiagnosticsRecordBytes = (5 * 4) + 8 + (6 * 8) + (5 * 9);

    // UTF-8 that refuses invalid bytes on reading (the writer's encoder never produces any).
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly ModelFormat _format = new(
        modelSignature: "MLNDFFNN",
        versionWritten: VersionWithChecksum,
        versionReadable: VersionWithChecksum,
        versionWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(FeedForwardModelParameters).Assembly.FullName!);

    private readonly IHost _host;
    private readonly NetworkValueMapper _mapper;
    private readonly ISchemaBindableMapper _bindable;

    /// <summary>Wraps a trained network.</summary>
    internal FeedForwardModelParameters(IHostEnvironment environment, SequentialNetwork network, string[]? classNames, IReadOnlyList<TrainingEpoch> history, int bestEpoch, TrainingDiagnostics? diagnostics = null, int monteCarloDropoutPasses = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(monteCarloDropoutPasses);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(monteCarloDropoutPasses, FeedForwardTrainerOptionsBase.MaxMonteCarloDropoutPasses);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(network);
        _host = environment.Register(nameof(FeedForwardModelParameters));
        _network = network;
        _classNames = classNames is not null && network.Spec.Task == TaskKind.Multiclass && classNames.Length == network.Spec.ClassCount ? classNames : null;
        _history = [.. history];
        _hiddenLayers = DescribeLayers(network.Spec);
        BestEpoch = bestEpoch;
        Diagnostics = diagnostics is null ? null : new FeedForwardDiagnostics(diagnostics);
        MonteCarloDropoutPasses = monteCarloDropoutPasses;
        (_mapper, _bindable) = CreateBindable(network);
    }

    // Found by ML.NET's catalog through the loader signature.
    private FeedForwardModelParameters(IHostEnvironment environment, ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ModelPersistence.ReadHeader(context, _format);
        _host = environment.Register(nameof(FeedForwardModelParameters));
        var version = ModelPersistence.VersionWritten(context);
        SequentialNetwork? network = null;
        string[]? classNames = null;
        var history = new List<TrainingEpoch>();
        var bestEpoch = 0;
        TrainingDiagnostics? diagnostics = null;
        var monteCarloDropoutPasses = 0;
        ModelPersistence.ReadStream(context, StreamName, entry =>
        {
            // The whole stream, its length bounded by the file's, its checksum verified before anything in it is read.
            var bytes = ReadVerifiedPayload(entry, version);
            using var payload = new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
            using var reader = new BinaryReader(payload, Utf8);
            try
            {
                // *** Binary format (identical in the load constructor and in Save) ***
                // int32      model task (TaskKindExtensions.ToPersistedCode: 1 regression, 2 binary, 3 multiclass)
                // int32      class name count (0 = none); per name: string
                // int32      best epoch
                // int32      epoch count; per epoch: int32 epoch, double training loss, byte has validation,
                //            double validation loss, double validation metric, double learning rate, double elapsed seconds
                // int32      network byte count; bytes: the network in NetworkSerializer's format
                // (0x00010002 on)
                // int32      diagnostics record count (-1 = trained without diagnostics); per record: int32 epoch,
                //            int32 block, int32 activation, int32 normalization, int32 units, int64 rows,
                //            double pre-activation mean, double pre-activation std, double activation mean,
                //            double activation std, double gradient norm, double weight norm, then for update ratio,
                //            dead fraction, saturated fraction, running mean average, running variance average:
                //            byte has value, double value
                // int32      Monte Carlo dropout passes (0 = ordinary scoring)
                // (0x00010003 on)
                // uint64     XxHash64 (seed 0) of every byte above
                var taskCode = reader.ReadInt32();
                var task = TaskKindExtensions.FromPersistedCode(taskCode)
                    ?? throw Corrupted($"its task code {taskCode} is unknown.");

                // Each count is bounded by the bytes left, so no corrupted count allocates more than the file holds.
                var classNameCount = ReadCount(reader, "class name", 1);
                if (classNameCount > 0)
                {
                    classNames = new string[classNameCount];
                    for (var i = 0; i < classNameCount; i++)
                    {
                        classNames[i] = ReadString(reader, $"class name {i}");
                    }
                }

                bestEpoch = reader.ReadInt32();
                var epochs = ReadCount(reader, "training epoch", EpochRecordBytes);
                for (var i = 0; i < epochs; i++)
                {
                    var epoch = reader.ReadInt32();
                    var trainingLoss = reader.ReadDouble();
                    var hasValidation = ReadFlag(reader, "validation flag");
                    var validationLoss = reader.ReadDouble();
                    var validationMetric = reader.ReadDouble();
                    var learningRate = reader.ReadDouble();
                    var elapsed = reader.ReadDouble();
                    if (epoch != i + 1)
                    {
                        throw Corrupted($"training history record {i} is of epoch {epoch}; training numbers its epochs from 1.");
                    }

                    history.Add(new TrainingEpoch(epoch, trainingLoss, hasValidation ? validationLoss : null, hasValidation ? validationMetric : null, learningRate, elapsed));
                }

                if (bestEpoch < 0 || bestEpoch > epochs)
                {
                    throw Corrupted($"its best epoch {bestEpoch} is not one of its {epochs} epochs.");
                }

                var length = ReadCount(reader, "network byte", 1);
                network = ReadNetwork(payload, length);
                if (network.Spec.Task != task)
                {
                    throw Corrupted($"the model says {task} but its network is {network.Spec.Task}.");
                }

                if (classNames is not null && (network.Spec.Task != TaskKind.Multiclass || classNames.Length != network.Spec.ClassCount))
                {
                    throw Corrupted($"{classNames.Length} class names for a {network.Spec.Task} network with {network.Spec.ClassCount} classes.");
                }

                if (version >= VersionWithDiagnostics)
                {
                    diagnostics = ReadDiagnostics(reader, network.Spec, epochs);
                    monteCarloDropoutPasses = reader.ReadInt32();
                    if (monteCarloDropoutPasses < 0 || monteCarloDropoutPasses > FeedForwardTrainerOptionsBase.MaxMonteCarloDropoutPasses)
                    {
                        throw Corrupted($"its Monte Carlo dropout pass count is {monteCarloDropoutPasses}, outside 0 to {FeedForwardTrainerOptionsBase.MaxMonteCarloDropoutPasses}.");
                    }
                }

                if (payload.Position != payload.Length)
                {
                    throw Corrupted($"{payload.Length - payload.Position} bytes follow its last field.");
                }
            }
            catch (EndOfStreamException e)
            {
                throw Corrupted("its stream ends before its last field: it is truncated.", e);
            }
        });
        _network = network!;
        _classNames = classNames;
        _history = [.. history];
        _hiddenLayers = DescribeLayers(_network.Spec);
        BestEpoch = bestEpoch;
        Diagnostics = diagnostics is null ? null : new FeedForwardDiagnostics(diagnostics);
        MonteCarloDropoutPasses = monteCarloDropoutPasses;
        (_mapper, _bindable) = CreateBindable(_network);
    }

    /// <summary>The ML.NET task of the model.</summary>
    internal TaskKind Task => _network.Spec.Task;

    /// <summary>The trained network (shared, not copied).</summary>
    internal SequentialNetwork Network => _network;

    /// <summary>The value mapper ML.NET scores through (for the tests of the internals surface).</summary>
    internal NetworkValueMapper ValueMapper => _mapper;

    PredictionKind IPredictor.PredictionKind => Task.ToPredictionKind();

    void ICanSaveModel.Save(ModelSaveContext context)
    {
        _host.CheckValue(context, nameof(context));
        context.CheckAtModel();
        ModelPersistence.WriteHeader(context, _format);
        using var networkBytes = new MemoryStream();
        NetworkSerializer.Write(networkBytes, _network);
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            // *** Binary format (identical in the load constructor and in Save) ***
            // int32      model task (TaskKindExtensions.ToPersistedCode: 1 regression, 2 binary, 3 multiclass)
            // int32      class name count (0 = none); per name: string
            // int32      best epoch
            // int32      epoch count; per epoch: int32 epoch, double training loss, byte has validation,
            //            double validation loss, double validation metric, double learning rate, double elapsed seconds
            // int32      network byte count; bytes: the network in NetworkSerializer's format
            // (0x00010002 on)
            // int32      diagnostics record count (-1 = trained without diagnostics); per record: int32 epoch,
            //            int32 block, int32 activation, int32 normalization, int32 units, int64 rows,
            //            double pre-activation mean, double pre-activation std, double activation mean,
            //            double activation std, double gradient norm, double weight norm, then for update ratio,
            //            dead fraction, saturated fraction, running mean average, running variance average:
            //            byte has value, double value
            // int32      Monte Carlo dropout passes (0 = ordinary scoring)
            // (0x00010003 on)
            // uint64     XxHash64 (seed 0) of every byte above
            writer.Write(Task.ToPersistedCode());
            writer.Write(_classNames?.Length ?? 0);
            foreach (var name in _classNames ?? [])
            {
                writer.Write(name);
            }

            writer.Write(BestEpoch);
            writer.Write(_history.Length);
            foreach (var epoch in _history)
            {
                writer.Write(epoch.Epoch);
                writer.Write(epoch.TrainingLoss);
                writer.Write(epoch.ValidationLoss.HasValue);
                writer.Write(epoch.ValidationLoss ?? 0);
                writer.Write(epoch.ValidationMetric ?? 0);
                writer.Write(epoch.LearningRate);
                writer.Write(epoch.ElapsedSeconds);
            }

            writer.Write(checked((int)networkBytes.Length));
            writer.Write(networkBytes.GetBuffer(), 0, (int)networkBytes.Length);
            WriteDiagnostics(writer, Diagnostics?.Engine);
            writer.Write(MonteCarloDropoutPasses);
        }

        var bytes = payload.GetBuffer();
        var length = checked((int)payload.Length);
        var checksum = XxHash64.HashToUInt64(bytes.AsSpan(0, length));
        ModelPersistence.WriteStream(context, StreamName, writer =>
        {
            writer.Write(bytes, 0, length);
            writer.Write(checksum);
        });
    }

    ISchemaBoundMapper ISchemaBindableMapper.Bind(IHostEnvironment env, RoleMappedSchema schema)
    {
        var bound = _bindable.Bind(env, schema);
        return MonteCarloDropoutPasses > 0 || _network.Spec.EnsembleSize > 1 ? new MonteCarloBoundMapper(this, (ISchemaBoundRowMapper)bound, _network, MonteCarloDropoutPasses) : bound;
    }

    private static (NetworkValueMapper Mapper, ISchemaBindableMapper Bindable) CreateBindable(SequentialNetwork network)
    {
        if (network.Spec.Task == TaskKind.Binary)
        {
            var binary = new BinaryNetworkValueMapper(network);
            return (binary, new SchemaBindableBinaryPredictorWrapper(binary));
        }

        var mapper = new NetworkValueMapper(network);
        return (mapper, new SchemaBindablePredictorWrapper(mapper));
    }

    private static void WriteDiagnostics(BinaryWriter writer, TrainingDiagnostics? diagnostics)
    {
        if (diagnostics is null)
        {
            writer.Write(-1);
            return;
        }

        writer.Write(diagnostics.Records.Count);
        foreach (var r in diagnostics.Records)
        {
            writer.Write(r.Epoch);
            writer.Write(r.Block);
            writer.Write((int)r.Activation);
            writer.Write((int)r.Normalization);
            writer.Write(r.Units);
            writer.Write(r.Rows);
            writer.Write(r.PreActivationMean);
            writer.Write(r.PreActivationStd);
            writer.Write(r.ActivationMean);
            writer.Write(r.ActivationStd);
            writer.Write(r.GradientNorm);
            writer.Write(r.WeightNorm);
            foreach (var value in (ReadOnlySpan<double?>)[r.UpdateRatio, r.DeadFraction, r.SaturatedFraction, r.RunningMeanAverage, r.RunningVarianceAverage])
            {
                writer.Write(value.HasValue);
                writer.Write(value ?? 0);
            }
        }
    }

    /// <summary>
    /// Reads all of the model's stream (the zip entry bounds its length) and, from <see cref="VersionWithChecksum"/> on,
    /// checks its trailing checksum and returns the bytes before it.
    /// </summary>
    private static byte[] ReadVerifiedPayload(BinaryReader entry, uint version)
    {
        using var all = new MemoryStream();
        entry.BaseStream.CopyTo(all);
        var bytes = all.GetBuffer().AsSpan(0, checked((int)all.Length));
        if (version < VersionWithChecksum)
        {
            return bytes.ToArray();
        }

        if (bytes.Length < sizeof(ulong))
        {
            throw Corrupted($"its stream '{StreamName}' has {bytes.Length} bytes, too few to hold its checksum.");
        }

        var payload = bytes[..^sizeof(ulong)];
        var stored = BinaryPrimitives.ReadUInt64LittleEndian(bytes[^sizeof(ulong)..]);
        var computed = XxHash64.HashToUInt64(payload);
        if (stored != computed)
        {
            throw Corrupted($"the checksum of its stream '{StreamName}' does not match its contents (stored 0x{stored:X16}, computed 0x{computed:X16}), so the file was changed or damaged after it was saved.");
        }

        return payload.ToArray();
    }

    /// <summary>Reads the network of <paramref name="length"/> bytes at the payload's position, which must hold exactly one.</summary>
    private static SequentialNetwork ReadNetwork(MemoryStream payload, int length)
    {
        var start = (int)payload.Position;
        using var bytes = new MemoryStream(payload.GetBuffer(), start, length, writable: false);
        SequentialNetwork network;
        try
        {
            network = NetworkSerializer.Read(bytes);
        }
        catch (InvalidDataException e)
        {
            throw Corrupted($"its network cannot be read. {e.Message}", e);
        }

        if (bytes.Position != length)
        {
            throw Corrupted($"its network takes {bytes.Position} of the {length} bytes stored for it.");
        }

        payload.Position = start + length;
        return network;
    }

    private static TrainingDiagnostics? ReadDiagnostics(BinaryReader reader, NetworkSpec spec, int epochs)
    {
        var count = reader.ReadInt32();
        if (count == -1)
        {
            return null;
        }

        if (count < 0 || count > Remaining(reader) / DiagnosticsRecordBytes)
        {
            throw Corrupted($"its diagnostics record count is {count}, with {Remaining(reader)} bytes left.");
        }

        var records = new LayerDiagnostics[count];
        for (var i = 0; i < count; i++)
        {
            var epoch = reader.ReadInt32();
            var block = reader.ReadInt32();
            var activation = (Activation)reader.ReadInt32();
            var normalization = (Normalization)reader.ReadInt32();
            var units = reader.ReadInt32();
            var rows = reader.ReadInt64();

            // A block's units are counted over every member of an ensemble.
            if (epoch < 0 || epoch > epochs || block < 0 || block >= spec.HiddenLayers.Count || rows < 0
                || !Enum.IsDefined(activation) || !Enum.IsDefined(normalization)
                || units != (long)spec.HiddenLayers[block].Units * spec.EnsembleSize || activation != spec.HiddenLayers[block].Activation || normalization != spec.HiddenLayers[block].Normalization)
            {
                throw Corrupted($"diagnostics record {i} (epoch {epoch}, hidden layer {block}, {units} {activation} units, {normalization}, {rows} rows) does not match the network's {spec.HiddenLayers.Count} hidden layers and {epochs} epochs.");
            }

            var means = new double[6];
            for (var j = 0; j < means.Length; j++)
            {
                means[j] = reader.ReadDouble();
            }

            var optional = new double?[5];
            for (var j = 0; j < optional.Length; j++)
            {
                var has = ReadFlag(reader, "diagnostics value flag");
                var value = reader.ReadDouble();
                optional[j] = has ? value : null;
            }

            records[i] = new LayerDiagnostics(epoch, block, activation, normalization, units, rows, means[0], means[1], means[2], means[3], means[4], means[5], optional[0], optional[1], optional[2], optional[3], optional[4]);
        }

        return new TrainingDiagnostics(records);
    }

    /// <summary>Reads a count of items of at least <paramref name="bytesEach"/> bytes, which the rest of the stream must be able to hold.</summary>
    private static int ReadCount(BinaryReader reader, string what, int bytesEach)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > Remaining(reader) / bytesEach)
        {
            throw Corrupted($"its {what} count is {count}, with {Remaining(reader)} bytes left.");
        }

        return count;
    }

    /// <summary>A string written by <see cref="BinaryWriter"/>: a 7-bit encoded length, then that many bytes of valid UTF-8.</summary>
    private static string ReadString(BinaryReader reader, string what)
    {
        try
        {
            return reader.ReadString();
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            throw Corrupted($"its {what} is malformed ({e.Message}).", e);
        }
    }

    /// <summary>A boolean written by <see cref="BinaryWriter"/>: 0 or 1, nothing else.</summary>
    private static bool ReadFlag(BinaryReader reader, string what)
    {
        var raw = reader.ReadByte();
        return raw switch
        {
            0 => false,
            1 => true,
            _ => throw Corrupted($"its {what} is {raw}, not 0 or 1."),
        };
    }

    private static long Remaining(BinaryReader reader) => reader.BaseStream.Length - reader.BaseStream.Position;

    private static InvalidDataException Corrupted(string what, Exception? inner = null)
        => new($"The feed-forward model file is corrupted: {what}", inner);
}
