using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MlNetDeep.Internal;
using MlNetDeep.Training;

namespace MlNetDeep.Tests.Fixtures;

/// <summary>
/// The smallest persisted predictor: <c>scores = weights · features + biases</c> with <c>weights</c> row-major
/// [outputs, features], over a known-size <c>Single</c> feature vector. It exercises every part of the internals
/// surface a real model uses (loadable class, versioned header, binary stream, value mapper, the three prediction
/// transformers) and is the template for adding a persisted type; the tests save and load it inside pipeline
/// .zip files in this and in a fresh process.
/// ML.NET loads a predictor by the type its transformer asks for, so a model is
/// <c>ModelParametersBase&lt;float&gt;</c> for regression and binary classification
/// (<see cref="LinearScorerModelParameters"/>) and <c>ModelParametersBase&lt;VBuffer&lt;float&gt;&gt;</c> for multiclass
/// classification (<see cref="LinearMulticlassScorerModelParameters"/>); this base holds what they share.
/// </summary>
/// <typeparam name="TOutput"><c>float</c> for one output, <c>VBuffer&lt;float&gt;</c> for several.</typeparam>
internal abstract class LinearScorerModelParametersBase<TOutput> : ModelParametersBase<TOutput>, IValueMapper
{
    private const string StreamName = "LinearScorer.bin";

    private readonly float[] _weights;
    private readonly float[] _biases;

    /// <summary>Creates a scorer from its weights (row-major [outputs, features]) and biases (one per output).</summary>
    private protected LinearScorerModelParametersBase(IHostEnvironment environment, string name, TaskKind task, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases)
        : base(environment, name)
    {
        if (biases.IsEmpty || weights.IsEmpty || weights.Length % biases.Length != 0)
        {
            throw new ArgumentException($"A linear scorer needs outputs x features weights for its {biases.Length} outputs; received {weights.Length} weights.", nameof(weights));
        }

        Task = task;
        _weights = weights.ToArray();
        _biases = biases.ToArray();
        FeatureCount = _weights.Length / _biases.Length;
    }

    /// <summary>Loads a scorer saved by <see cref="SaveCore"/>, after checking the header against <paramref name="format"/>.</summary>
    private protected LinearScorerModelParametersBase(IHostEnvironment environment, string name, ModelLoadContext context, ModelFormat format)
        : base(environment, name, ModelPersistence.ReadHeader(context, format))
    {
        var task = TaskKind.Regression;
        float[] weights = [];
        float[] biases = [];
        ModelPersistence.ReadStream(context, StreamName, reader =>
        {
            var taskCode = reader.ReadInt32();
            var outputs = reader.ReadInt32();
            var features = reader.ReadInt32();
            if (TaskKindExtensions.FromPersistedCode(taskCode) is not { } readTask || outputs <= 0 || features <= 0 || (long)outputs * features > Array.MaxLength)
            {
                throw new InvalidDataException($"The linear scorer is corrupt: task {taskCode}, {outputs} outputs, {features} features.");
            }

            task = readTask;

            weights = new float[outputs * features];
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] = reader.ReadSingle();
            }

            biases = new float[outputs];
            for (var i = 0; i < biases.Length; i++)
            {
                biases[i] = reader.ReadSingle();
            }
        });
        Task = task;
        _weights = weights;
        _biases = biases;
        FeatureCount = _weights.Length / _biases.Length;
    }

    /// <summary>What the scorer predicts.</summary>
    public TaskKind Task { get; }

    /// <summary>The weights, row-major [outputs, features].</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>The biases, one per output.</summary>
    public ReadOnlySpan<float> Biases => _biases;

    /// <summary>How many features a row must have.</summary>
    public int FeatureCount { get; }

    /// <summary>How many scores a row gets.</summary>
    public int OutputCount => _biases.Length;

    /// <summary>The feature vector type: <c>Single</c> of <see cref="FeatureCount"/> slots.</summary>
    public DataViewType InputType => new VectorDataViewType(NumberDataViewType.Single, FeatureCount);

    /// <summary>The score type: <c>Single</c> for one output, else a vector of <c>Single</c> with one slot per output.</summary>
    public DataViewType OutputType => OutputCount == 1 ? NumberDataViewType.Single : new VectorDataViewType(NumberDataViewType.Single, OutputCount);

    /// <inheritdoc/>
    public override PredictionKind PredictionKind => Task.ToPredictionKind();

    /// <summary>The persisted identity of the concrete type.</summary>
    private protected abstract ModelFormat Format { get; }

    /// <summary>Computes the scores of one feature vector into <paramref name="scores"/> (one per output).</summary>
    public void Score(ReadOnlySpan<float> features, Span<float> scores)
    {
        for (var o = 0; o < _biases.Length; o++)
        {
            var sum = _biases[o];
            var row = _weights.AsSpan(o * FeatureCount, FeatureCount);
            for (var i = 0; i < row.Length; i++)
            {
                sum += row[i] * features[i];
            }

            scores[o] = sum;
        }
    }

    /// <inheritdoc/>
    public ValueMapper<TSrc, TDst> GetMapper<TSrc, TDst>()
    {
        var dense = new float[FeatureCount];
        var scores = new float[OutputCount];
        if (typeof(TSrc) == typeof(VBuffer<float>) && typeof(TDst) == typeof(float) && OutputCount == 1)
        {
            ValueMapper<VBuffer<float>, float> scalar = (in VBuffer<float> source, ref float destination) =>
            {
                Densify(source, dense);
                Score(dense, scores);
                destination = scores[0];
            };
            return (ValueMapper<TSrc, TDst>)(Delegate)scalar;
        }

        if (typeof(TSrc) == typeof(VBuffer<float>) && typeof(TDst) == typeof(VBuffer<float>) && OutputCount > 1)
        {
            ValueMapper<VBuffer<float>, VBuffer<float>> vector = (in VBuffer<float> source, ref VBuffer<float> destination) =>
            {
                Densify(source, dense);
                var editor = VBufferEditor.Create(ref destination, scores.Length);
                Score(dense, editor.Values);
                destination = editor.Commit();
            };
            return (ValueMapper<TSrc, TDst>)(Delegate)vector;
        }

        throw new InvalidOperationException($"The linear scorer maps VBuffer<Single> to {OutputType}; it was asked for {typeof(TSrc).Name} to {typeof(TDst).Name}.");
    }

    /// <inheritdoc/>
    public override void SaveCore(ModelSaveContext context)
    {
        base.SaveCore(context);
        ModelPersistence.WriteHeader(context, Format);
        ModelPersistence.WriteStream(context, StreamName, writer =>
        {
            writer.Write(Task.ToPersistedCode());
            writer.Write(OutputCount);
            writer.Write(FeatureCount);
            foreach (var weight in _weights)
            {
                writer.Write(weight);
            }

            foreach (var bias in _biases)
            {
                writer.Write(bias);
            }
        });
    }

    private static void Densify(in VBuffer<float> source, float[] dense)
    {
        if (source.Length != dense.Length)
        {
            throw new InvalidOperationException($"The linear scorer expects {dense.Length} features; the row has {source.Length}.");
        }

        source.CopyTo(dense);
    }
}
