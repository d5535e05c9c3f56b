using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MlNetDeep.Internal;

[assembly: LoadableClass(typeof(LinearScorerModelParameters), null, typeof(SignatureLoadModel), "MlNetDeep Linear Scorer", LinearScorerModelParameters.LoaderSignature)]

namespace MlNetDeep.Internal;

/// <summary>
/// The smallest persisted predictor: <c>score = weights · features + bias</c> over a known-size <c>Single</c>
/// feature vector. It exercises every part of the internals surface a real model uses (loadable class,
/// versioned header, binary stream, value mapper, prediction transformers) and is the template for adding
/// a new persisted type; the tests save and load it inside pipeline .zip files in this and in a fresh process.
/// </summary>
internal sealed class LinearScorerModelParameters : ModelParametersBase<float>, IValueMapper
{
    /// <summary>The name registered with ML.NET's component catalog (at most 24 characters).</summary>
    public const string LoaderSignature = "MlNetDeepLinearScorer";

    private const string WeightsStreamName = "LinearScorer.bin";

    // Version history: 0x00010001 = weights count, weights, bias.
    private static readonly ModelFormat _format = new(
        modelSignature: "MLNDLINS",
        versionWritten: 0x00010001,
        versionReadable: 0x00010001,
        versionWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(LinearScorerModelParameters).Assembly.FullName!);

    private readonly float[] _weights;

    /// <summary>Creates a scorer from its weights (one per feature) and bias.</summary>
    public LinearScorerModelParameters(IHostEnvironment environment, ReadOnlySpan<float> weights, float bias)
        : base(environment, LoaderSignature)
    {
        if (weights.IsEmpty)
        {
            throw new ArgumentException("A linear scorer needs at least one weight.", nameof(weights));
        }

        _weights = weights.ToArray();
        Bias = bias;
        InputType = new VectorDataViewType(NumberDataViewType.Single, _weights.Length);
    }

    private LinearScorerModelParameters(IHostEnvironment environment, ModelLoadContext context)
        : base(environment, LoaderSignature, context)
    {
        ModelPersistence.ReadHeader(context, _format);
        float[]? weights = null;
        var bias = 0f;
        ModelPersistence.ReadStream(context, WeightsStreamName, reader =>
        {
            var count = reader.ReadInt32();
            if (count <= 0)
            {
                throw new InvalidDataException($"The linear scorer is corrupt: it stores {count} weights.");
            }

            weights = new float[count];
            for (var i = 0; i < count; i++)
            {
                weights[i] = reader.ReadSingle();
            }

            bias = reader.ReadSingle();
        });
        _weights = weights!;
        Bias = bias;
        InputType = new VectorDataViewType(NumberDataViewType.Single, _weights.Length);
    }

    /// <summary>The weights, one per feature.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>The bias added to every score.</summary>
    public float Bias { get; }

    /// <summary>The feature vector type: <c>Single</c> of the weights' length.</summary>
    public DataViewType InputType { get; }

    /// <summary>The score type: <c>Single</c>.</summary>
    public DataViewType OutputType => NumberDataViewType.Single;

    /// <inheritdoc/>
    public override PredictionKind PredictionKind => PredictionKind.Regression;

    /// <summary>Computes the score of one feature vector.</summary>
    public float Score(ReadOnlySpan<float> features)
    {
        var sum = Bias;
        for (var i = 0; i < _weights.Length; i++)
        {
            sum += _weights[i] * features[i];
        }

        return sum;
    }

    /// <inheritdoc/>
    public ValueMapper<TSrc, TDst> GetMapper<TSrc, TDst>()
    {
        if (typeof(TSrc) != typeof(VBuffer<float>) || typeof(TDst) != typeof(float))
        {
            throw new InvalidOperationException($"The linear scorer maps VBuffer<Single> to Single; it was asked for {typeof(TSrc).Name} to {typeof(TDst).Name}.");
        }

        var dense = new float[_weights.Length];
        ValueMapper<VBuffer<float>, float> mapper = (in VBuffer<float> source, ref float destination) =>
        {
            if (source.Length != dense.Length)
            {
                throw new InvalidOperationException($"The linear scorer expects {dense.Length} features; the row has {source.Length}.");
            }

            source.CopyTo(dense);
            destination = Score(dense);
        };
        return (ValueMapper<TSrc, TDst>)(Delegate)mapper;
    }

    /// <summary>Loads a scorer saved by <see cref="SaveCore"/>; ML.NET's catalog calls it through the loader signature.</summary>
    private static LinearScorerModelParameters Create(IHostEnvironment environment, ModelLoadContext context)
        => new(environment, context);

    /// <inheritdoc/>
    public override void SaveCore(ModelSaveContext context)
    {
        base.SaveCore(context);
        ModelPersistence.WriteHeader(context, _format);
        ModelPersistence.WriteStream(context, WeightsStreamName, writer =>
        {
            writer.Write(_weights.Length);
            foreach (var weight in _weights)
            {
                writer.Write(weight);
            }

            writer.Write(Bias);
        });
    }
}
