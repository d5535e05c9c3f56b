using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;
using MlNetDeep.Layers;
using MlNetDeep.Training;

namespace MlNetDeep.Internal;

/// <summary>
/// Adapts a trained network to ML.NET's value-mapper interfaces, which ML.NET's schema-bindable wrappers use to add
/// the score columns: a known-size <c>Single</c> feature vector maps to the class probabilities (multiclass), the
/// logit (binary) or the value on the label's scale (regression). Every mapper ML.NET asks for (one per cursor or
/// prediction engine) owns its own <see cref="NetworkScorer"/> and buffers, so concurrent cursors are safe; one mapper
/// must only be used by one thread, as ML.NET's contract says. It writes the network to ONNX as the model does.
/// </summary>
internal class NetworkValueMapper : IValueMapper, IPredictor, ISingleCanSaveOnnx
{
    private readonly SequentialNetwork _network;

    /// <summary>Creates the mapper of <paramref name="network"/>.</summary>
    public NetworkValueMapper(SequentialNetwork network)
    {
        _network = network;
        InputType = new VectorDataViewType(NumberDataViewType.Single, network.Spec.InputSize);
        OutputType = network.Spec.Task == TaskKind.Multiclass
            ? new VectorDataViewType(NumberDataViewType.Single, network.Spec.ClassCount)
            : NumberDataViewType.Single;
    }

    /// <summary>The feature type: a vector of <c>Single</c> of the network's input size.</summary>
    public DataViewType InputType { get; }

    /// <summary>The score type: a vector of one <c>Single</c> per class (multiclass), else a <c>Single</c>.</summary>
    public DataViewType OutputType { get; }

    /// <summary>The ML.NET prediction kind of the network's task.</summary>
    public PredictionKind PredictionKind => _network.Spec.Task switch
    {
        TaskKind.Multiclass => PredictionKind.MulticlassClassification,
        TaskKind.Binary => PredictionKind.BinaryClassification,
        _ => PredictionKind.Regression,
    };

    /// <summary>The network's task.</summary>
    protected TaskKind Task => _network.Spec.Task;

    /// <summary>The network scored.</summary>
    protected SequentialNetwork Network => _network;

    /// <inheritdoc/>
    public ValueMapper<TSrc, TDst> GetMapper<TSrc, TDst>()
    {
        if (typeof(TSrc) == typeof(VBuffer<float>) && typeof(TDst) == typeof(float) && Task != TaskKind.Multiclass)
        {
            var row = new RowScorer(_network);
            ValueMapper<VBuffer<float>, float> scalar = (in VBuffer<float> source, ref float destination) => destination = row.Score(source)[0];
            return (ValueMapper<TSrc, TDst>)(Delegate)scalar;
        }

        if (typeof(TSrc) == typeof(VBuffer<float>) && typeof(TDst) == typeof(VBuffer<float>) && Task == TaskKind.Multiclass)
        {
            var row = new RowScorer(_network);
            ValueMapper<VBuffer<float>, VBuffer<float>> vector = (in VBuffer<float> source, ref VBuffer<float> destination) =>
            {
                var scores = row.Score(source);
                var editor = VBufferEditor.Create(ref destination, scores.Length);
                scores.CopyTo(editor.Values);
                destination = editor.Commit();
            };
            return (ValueMapper<TSrc, TDst>)(Delegate)vector;
        }

        throw new InvalidOperationException($"The network maps {InputType} to {OutputType}; ML.NET asked for {typeof(TSrc).Name} to {typeof(TDst).Name}.");
    }

    /// <summary>True unless the model scores with Monte Carlo dropout, which the model itself refuses before this is asked.</summary>
    public bool CanSaveOnnx(OnnxContext ctx) => true;

    /// <summary>
    /// Writes the network's columns from <paramref name="featureColumn"/> into <paramref name="outputNames"/>, the
    /// scorer's columns in order: multiclass PredictedLabel and Score, binary PredictedLabel (which the scorer writes
    /// itself), Score and Probability, regression Score.
    /// </summary>
    public bool SaveAsOnnx(OnnxContext ctx, string[] outputNames, string featureColumn)
    {
        FeedForwardOnnx.WriteScores(ctx, _network, featureColumn, outputNames, withUncertainty: false);
        return true;
    }

    /// <summary>
    /// Scores one row at a time with its own scorer and buffers: a dense row as it is, a sparse row through
    /// <see cref="NetworkScorer"/>'s sparse scoring, which reads only its non-zeros when the first layer allows it and at
    /// most one value in 16 is non-zero (the same scores as the row densified, up to float rounding), and densifies it
    /// otherwise (exactly the same scores).
    /// </summary>
    protected sealed class RowScorer(SequentialNetwork network)
    {
        private readonly NetworkScorer _scorer = network.CreateScorer(maxBatch: 1, threads: 1);
        private readonly float[] _input = new float[network.Spec.InputSize];
        private readonly float[] _output = new float[network.Spec.OutputSize];
        private readonly int[] _rowStarts = new int[2];

        /// <summary>Scores <paramref name="features"/> (dense or sparse) and returns the output buffer.</summary>
        public ReadOnlySpan<float> Score(in VBuffer<float> features)
        {
            if (features.Length != _input.Length)
            {
                throw new InvalidOperationException($"The model expects {_input.Length} features; the row's feature vector has {features.Length}.");
            }

            if (features.IsDense)
            {
                features.GetValues().CopyTo(_input);
                _scorer.Score(_input, _output, 1);
                return _output;
            }

            var values = features.GetValues();
            _rowStarts[1] = values.Length;
            _scorer.Score(values, features.GetIndices(), _rowStarts, _output, 1);
            return _output;
        }
    }
}

/// <summary>
/// The binary classification form of <see cref="NetworkValueMapper"/>: it also maps to a probability (the logit's
/// sigmoid), so ML.NET adds the <c>Probability</c> column that binary evaluation needs.
/// </summary>
internal sealed class BinaryNetworkValueMapper(SequentialNetwork network) : NetworkValueMapper(network), IValueMapperDist, IDistCanSaveOnnx
{
    /// <summary>The probability type, <c>Single</c>.</summary>
    public DataViewType DistType => NumberDataViewType.Single;

    /// <inheritdoc/>
    public ValueMapper<TSrc, TDst, TDist> GetMapper<TSrc, TDst, TDist>()
    {
        if (typeof(TSrc) != typeof(VBuffer<float>) || typeof(TDst) != typeof(float) || typeof(TDist) != typeof(float))
        {
            throw new InvalidOperationException($"The binary network maps {InputType} to a Single score and probability; ML.NET asked for {typeof(TSrc).Name} to {typeof(TDst).Name} and {typeof(TDist).Name}.");
        }

        var row = new RowScorer(Network);
        ValueMapper<VBuffer<float>, float, float> map = (in VBuffer<float> source, ref float score, ref float probability) =>
        {
            score = row.Score(source)[0];
            probability = 1f / (1f + MathF.Exp(-score));
        };
        return (ValueMapper<TSrc, TDst, TDist>)(Delegate)map;
    }
}
