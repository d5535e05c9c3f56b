using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetDeep;
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
    private static readonly ModelFormat _format = new(
        modelSignature: "MLNDFFNN",
        versionWritten: 0x00010001,
        versionReadable: 0x00010001,
        versionWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(FeedForwardModelParameters).Assembly.FullName!);

    private readonly IHost _host;
    private readonly NetworkValueMapper _mapper;
    private readonly ISchemaBindableMapper _bindable;

    /// <summary>Wraps a trained network.</summary>
    internal FeedForwardModelParameters(IHostEnvironment environment, SequentialNetwork network, string[]? classNames, IReadOnlyList<TrainingEpoch> history, int bestEpoch)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(network);
        _host = environment.Register(nameof(FeedForwardModelParameters));
        _network = network;
        _classNames = classNames is not null && network.Spec.Task == TaskKind.Multiclass && classNames.Length == network.Spec.ClassCount ? classNames : null;
        _history = [.. history];
        _hiddenLayers = DescribeLayers(network.Spec);
        BestEpoch = bestEpoch;
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
        ModelPersistence.ReadStream(context, StreamName, reader =>
        {
            // *** Binary format (identical in Save) ***
            // int32      model task (ModelTask)
            // int32      class name count (0 = none); per name: string
            // int32      best epoch
            // int32      epoch count; per epoch: int32 epoch, double training loss, byte has validation,
            //            double validation loss, double validation metric, double learning rate, double elapsed seconds
            // int32      network byte count; bytes: the network in NetworkSerializer's format
            var task = (ModelTask)reader.ReadInt32();
            if (!Enum.IsDefined(task))
            {
                throw new InvalidDataException($"The feed-forward model is corrupt: unknown task {(int)task}.");
            }

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
            network = NetworkSerializer.Read(stream, out _);
            if (ToModelTask(network.Spec.Task) != task)
            {
                throw new InvalidDataException($"The feed-forward model is corrupt: the model says {task} but its network is {network.Spec.Task}.");
            }

            if (classNames is not null && (network.Spec.Task != TaskKind.Multiclass || classNames.Length != network.Spec.ClassCount))
            {
                throw new InvalidDataException($"The feed-forward model is corrupt: {classNames.Length} class names for a {network.Spec.Task} network with {network.Spec.ClassCount} classes.");
            }
        });
        _network = network!;
        _classNames = classNames;
        _history = [.. history];
        _hiddenLayers = DescribeLayers(_network.Spec);
        BestEpoch = bestEpoch;
        (_mapper, _bindable) = CreateBindable(_network);
    }

    /// <summary>The ML.NET task of the model.</summary>
    internal ModelTask Task => ToModelTask(_network.Spec.Task);

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
            writer.Write((int)Task);
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
        });
    }

    ISchemaBoundMapper ISchemaBindableMapper.Bind(IHostEnvironment env, RoleMappedSchema schema) => _bindable.Bind(env, schema);

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

    private static ModelTask ToModelTask(TaskKind task) => task switch
    {
        TaskKind.Multiclass => ModelTask.MulticlassClassification,
        TaskKind.Binary => ModelTask.BinaryClassification,
        _ => ModelTask.Regression,
    };

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
