using MlNetDeep.ActivationFunctions;
using MlNetDeep.Training;

namespace MlNetDeep.Layers;

/// <summary>
/// Inference over a trained <see cref="SequentialNetwork"/>: turns the output layer's values into scores (softmax
/// probabilities, the logit, the prediction on the target scale), embeddings and Monte Carlo dropout predictions. The
/// layers run through an <see cref="InferencePlan"/> of the scorer's own, with its own buffers, so one scorer per thread
/// can run while others score too.
/// </summary>
public sealed partial class NetworkScorer
{
    private readonly SequentialNetwork _network;
    private readonly InferencePlan _plan;
    private readonly int _maxBatch;
    private float[] _combined = [];

    internal NetworkScorer(SequentialNetwork network, InferencePlan plan)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(plan);
        _network = network;
        _plan = plan;
        _maxBatch = plan.MaxBatch;
    }

    /// <summary>Features per input row.</summary>
    public int InputSize => _network.Spec.InputSize;

    /// <summary>Values per output row: class probabilities (multiclass), the logit (binary) or the prediction (regression).</summary>
    public int OutputSize => _network.Spec.OutputSize;

    /// <summary>
    /// Scores <paramref name="rows"/> raw feature rows into <paramref name="output"/> <c>[rows, OutputSize]</c>:
    /// softmax probabilities for multiclass, the logit for binary, the prediction on the original target
    /// scale for regression.
    /// </summary>
    public void Score(ReadOnlySpan<float> input, Span<float> output, int rows)
    {
        var inputSize = InputSize;
        var outputSize = OutputSize;
        if (input.Length < rows * inputSize || output.Length < rows * outputSize)
        {
            throw new ArgumentException($"Scoring {rows} rows needs {rows * inputSize} inputs and {rows * outputSize} outputs; received {input.Length} and {output.Length}.");
        }

        for (var start = 0; start < rows; start += _maxBatch)
        {
            var batch = Math.Min(_maxBatch, rows - start);
            var result = _plan.Run(input.Slice(start * inputSize, batch * inputSize), batch);
            WriteOutput(_network.Spec.EnsembleSize == 1 ? result : CombineMembers(result, batch), output.Slice(start * outputSize, batch * outputSize), batch);
        }
    }

    /// <summary>
    /// Scores <paramref name="rows"/> raw feature rows given sparse, in compressed sparse row form, into
    /// <paramref name="output"/> <c>[rows, OutputSize]</c> as <see cref="Score(ReadOnlySpan{float}, Span{float}, int)"/>
    /// does: row r's non-zero <paramref name="values"/> are at the columns <paramref name="indices"/> (increasing within a
    /// row), from <c>rowStarts[r]</c> to <c>rowStarts[r + 1]</c>; every other feature is zero.
    /// </summary>
    /// <remarks>
    /// When the first layer is a dense layer with the input standardization folded into it (every network trained on
    /// sparse rows, and most others) and at most <see cref="TrainingDefaults.MaxSparseDensity"/> of a batch's values are
    /// non-zero, the product reads the non-zeros only, and the scores are those of the same rows given dense up to float
    /// rounding (the products add the same terms in another order). Otherwise the rows are densified a batch at a time
    /// and scored exactly as the same rows given dense.
    /// </remarks>
    /// <param name="values">The non-zero values.</param>
    /// <param name="indices">The column of each value.</param>
    /// <param name="rowStarts"><paramref name="rows"/> + 1 offsets into <paramref name="values"/> and <paramref name="indices"/>.</param>
    /// <param name="output">Receives the scores.</param>
    /// <param name="rows">Rows to score.</param>
    /// <exception cref="ArgumentException">The spans are too short, or a row's columns are out of order or range.</exception>
    public void Score(ReadOnlySpan<float> values, ReadOnlySpan<int> indices, ReadOnlySpan<int> rowStarts, Span<float> output, int rows)
    {
        var outputSize = OutputSize;
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (rowStarts.Length < rows + 1 || output.Length < rows * outputSize)
        {
            throw new ArgumentException($"Scoring {rows} sparse rows needs {rows + 1} row starts and {rows * outputSize} outputs; received {rowStarts.Length} and {output.Length}.");
        }

        CheckSparseRows(values, indices, rowStarts, rows, InputSize);
        for (var start = 0; start < rows; start += _maxBatch)
        {
            var batch = Math.Min(_maxBatch, rows - start);
            var result = _plan.Run(new InputRows(values, indices, rowStarts.Slice(start, batch + 1)), batch);
            WriteOutput(_network.Spec.EnsembleSize == 1 ? result : CombineMembers(result, batch), output.Slice(start * outputSize, batch * outputSize), batch);
        }
    }

    /// <summary>Throws unless every row's offsets lie within the spans and its columns increase within [0, <paramref name="columns"/>).</summary>
    private static void CheckSparseRows(ReadOnlySpan<float> values, ReadOnlySpan<int> indices, ReadOnlySpan<int> rowStarts, int rows, int columns)
    {
        for (var r = 0; r < rows; r++)
        {
            int start = rowStarts[r], end = rowStarts[r + 1];
            if (start < 0 || end < start || end > values.Length || end > indices.Length)
            {
                throw new ArgumentException($"Row {r} holds the values [{start}, {end}); received {values.Length} values and {indices.Length} column indices.", nameof(rowStarts));
            }

            var previous = -1;
            for (var p = start; p < end; p++)
            {
                if (indices[p] <= previous || indices[p] >= columns)
                {
                    throw new ArgumentException($"Row {r}'s column indices must increase within [0, {columns}). Received: {indices[p]} after {previous}.", nameof(indices));
                }

                previous = indices[p];
            }
        }
    }

    /// <summary>The members' combined prediction of every row (see <see cref="EnsemblePrediction"/>), in a buffer of the scorer's.</summary>
    private ReadOnlySpan<float> CombineMembers(ReadOnlySpan<float> result, int batch)
    {
        var outputSize = OutputSize;
        var members = _network.Spec.EnsembleSize;
        var combined = MemberBuffer(batch);
        for (var r = 0; r < batch; r++)
        {
            EnsemblePrediction.Combine(_network.Spec.Task, result.Slice(r * outputSize * members, outputSize * members), members, combined.Slice(r * outputSize, outputSize));
        }

        return combined;
    }

    /// <summary>Member <paramref name="member"/>'s outputs of every row, in a buffer of the scorer's.</summary>
    private ReadOnlySpan<float> Member(ReadOnlySpan<float> result, int batch, int member)
    {
        var outputSize = OutputSize;
        var members = _network.Spec.EnsembleSize;
        var memberOutput = MemberBuffer(batch);
        for (var r = 0; r < batch; r++)
        {
            result.Slice(((r * members) + member) * outputSize, outputSize).CopyTo(memberOutput.Slice(r * outputSize, outputSize));
        }

        return memberOutput;
    }

    /// <summary>The scorer's buffer of one output per row for <paramref name="batch"/> rows, allocated at the first ensemble scoring.</summary>
    private Span<float> MemberBuffer(int batch)
    {
        if (_combined.Length == 0)
        {
            _combined = new float[_maxBatch * OutputSize];
        }

        return _combined.AsSpan(0, batch * OutputSize);
    }

    private void WriteOutput(ReadOnlySpan<float> result, Span<float> target, int batch)
    {
        switch (_network.Spec.Task)
        {
            case TaskKind.Multiclass:
                Softmax.Forward(result, target, batch, OutputSize);
                break;
            case TaskKind.Binary:
                result.CopyTo(target);
                break;
            default:
                var mean = _network.TargetMean;
                var std = _network.TargetStd;
                for (var i = 0; i < batch; i++)
                {
                    target[i] = mean + (std * result[i]);
                }

                break;
        }
    }
}
