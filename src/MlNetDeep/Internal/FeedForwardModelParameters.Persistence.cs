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
    private const uint VersionWithDiagnostics = 0x00010002;

    private static readonly ModelFormat _format = new(
        modelSignature: "MLNDFFNN",
        versionWritten: VersionWithDiagnostics,
        versionReadable: 0x00010001,
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
        SequentialNetwork? network = null;
        string[]? classNames = null;
        var history = new List<TrainingEpoch>();
        var bestEpoch = 0;
        TrainingDiagnostics? diagnostics = null;
        var monteCarloDropoutPasses = 0;
        var hasDiagnosticsSection = ModelPersistence.VersionWritten(context) >= VersionWithDiagnostics;
        ModelPersistence.ReadStream(context, StreamName, reader =>
        {
            // *** Binary format (identical in Save) ***
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
            var taskCode = reader.ReadInt32();
            var task = TaskKindExtensions.FromPersistedCode(taskCode)
                ?? throw new InvalidDataException($"The feed-forward model is corrupt: unknown task {taskCode}.");

            var classNameCount = ReadCount(reader, "class name");
            if (classNameCount > 0)
            {
                classNames = new string[classNameCount];
                for (var i = 0; i < classNameCount; i++)
                {
                    classNames[i] = reader.ReadString();
                }
            }

            bestEpoch = reader.ReadInt32();
            var epochs = ReadCount(reader, "epoch");
            for (var i = 0; i < epochs; i++)
            {
                var epoch = reader.ReadInt32();
                var trainingLoss = reader.ReadDouble();
                var hasValidation = reader.ReadBoolean();
                var validationLoss = reader.ReadDouble();
                var validationMetric = reader.ReadDouble();
                var learningRate = reader.ReadDouble();
                var elapsed = reader.ReadDouble();
                history.Add(new TrainingEpoch(epoch, trainingLoss, hasValidation ? validationLoss : null, hasValidation ? validationMetric : null, learningRate, elapsed));
            }

            var length = ReadCount(reader, "network byte");
            var bytes = reader.ReadBytes(length);
            if (bytes.Length != length)
            {
                throw new InvalidDataException($"The feed-forward model is truncated: its network should have {length} bytes, {bytes.Length} were read.");
            }

            using var stream = new MemoryStream(bytes, writable: false);
            network = NetworkSerializer.Read(stream);
            if (network.Spec.Task != task)
            {
                throw new InvalidDataException($"The feed-forward model is corrupt: the model says {task} but its network is {network.Spec.Task}.");
            }

            if (classNames is not null && (network.Spec.Task != TaskKind.Multiclass || classNames.Length != network.Spec.ClassCount))
            {
                throw new InvalidDataException($"The feed-forward model is corrupt: {classNames.Length} class names for a {network.Spec.Task} network with {network.Spec.ClassCount} classes.");
            }

            if (hasDiagnosticsSection)
            {
                diagnostics = ReadDiagnostics(reader, network.Spec);
                monteCarloDropoutPasses = reader.ReadInt32();
                if (monteCarloDropoutPasses < 0)
                {
                    throw new InvalidDataException($"The feed-forward model is corrupt: its Monte Carlo dropout pass count is {monteCarloDropoutPasses}.");
                }
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
        ModelPersistence.WriteStream(context, StreamName, writer =>
        {
            // *** Binary format: see the load constructor ***
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

    private static TrainingDiagnostics? ReadDiagnostics(BinaryReader reader, NetworkSpec spec)
    {
        var count = reader.ReadInt32();
        if (count == -1)
        {
            return null;
        }

        if (count < 0 || count > Array.MaxLength)
        {
            throw new InvalidDataException($"The feed-forward model is corrupt: its diagnostics record count is {count}.");
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
            if (epoch < 0 || block < 0 || block >= spec.HiddenLayers.Count || rows < 0
                || !Enum.IsDefined(activation) || !Enum.IsDefined(normalization)
                || units != spec.HiddenLayers[block].Units || activation != spec.HiddenLayers[block].Activation || normalization != spec.HiddenLayers[block].Normalization)
            {
                throw new InvalidDataException($"The feed-forward model is corrupt: diagnostics record {i} (epoch {epoch}, hidden layer {block}, {units} {activation} units, {normalization}, {rows} rows) does not match the network's {spec.HiddenLayers.Count} hidden layers.");
            }

            var means = new double[6];
            for (var j = 0; j < means.Length; j++)
            {
                means[j] = reader.ReadDouble();
            }

            var optional = new double?[5];
            for (var j = 0; j < optional.Length; j++)
            {
                var has = reader.ReadBoolean();
                var value = reader.ReadDouble();
                optional[j] = has ? value : null;
            }

            records[i] = new LayerDiagnostics(epoch, block, activation, normalization, units, rows, means[0], means[1], means[2], means[3], means[4], means[5], optional[0], optional[1], optional[2], optional[3], optional[4]);
        }

        return new TrainingDiagnostics(records);
    }

    private static int ReadCount(BinaryReader reader, string what)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > Array.MaxLength)
        {
            throw new InvalidDataException($"The feed-forward model is corrupt: its {what} count is {count}.");
        }

        return count;
    }
}
