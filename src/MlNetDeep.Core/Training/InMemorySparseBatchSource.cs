using MlNetDeep.Compute;

namespace MlNetDeep.Training;

/// <summary>
/// A <see cref="ISparseBatchSource"/> over a <see cref="SparseTrainingData"/>: the split and the orders are those of
/// <see cref="InMemoryBatchSource"/> (stratified by class for classification, index arrays into the data), so the same
/// rows, labels and seed give the same batches as the dense source; a batch gathers the rows' non-zeros.
/// </summary>
public sealed class InMemorySparseBatchSource : ISparseBatchSource
{
    private readonly SparseTrainingData _data;
    private readonly RowOrder _order;
    private int[]? _largestFirst;

    /// <summary>Serves the rows of <paramref name="data"/>, all of them training rows until <see cref="Split"/>.</summary>
    public InMemorySparseBatchSource(SparseTrainingData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        _order = new RowOrder(data.Rows, data.Labels);
    }

    /// <inheritdoc/>
    public int Columns => _data.Columns;

    /// <inheritdoc/>
    public bool HasWeights => _data.Weights is not null;

    /// <inheritdoc/>
    public int Count(RowSet set) => _order.Rows(set).Length;

    /// <inheritdoc/>
    public void Split(TaskKind task, float validationFraction, RandomGenerator random) => _order.Split(task, validationFraction, random);

    /// <inheritdoc/>
    public void Shuffle(RandomGenerator random) => _order.Shuffle(random);

    /// <inheritdoc/>
    public int MaxNonZeros(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (_largestFirst is null)
        {
            var lengths = new int[_data.Rows];
            for (var r = 0; r < lengths.Length; r++)
            {
                lengths[r] = _data.RowStarts[r + 1] - _data.RowStarts[r];
            }

            Array.Sort(lengths, (a, b) => b.CompareTo(a));
            _largestFirst = lengths;
        }

        long total = 0;
        for (var i = 0; i < Math.Min(rows, _largestFirst.Length); i++)
        {
            total += _largestFirst[i];
        }

        return (int)Math.Min(total, int.MaxValue);
    }

    /// <inheritdoc/>
    public void Read(RowSet set, int start, int count, Span<float> features, Span<float> labels, Span<float> weights)
        => GatherDense(_order.Rows(set, start, count), features, labels, weights);

    /// <inheritdoc/>
    public void ReadSample(int count, Span<float> features, Span<float> labels, Span<float> weights)
        => GatherDense(_order.Sample(count), features, labels, weights);

    /// <inheritdoc/>
    public void ReadSparse(RowSet set, int start, int count, Span<float> values, Span<int> indices, Span<int> rowStarts, Span<float> labels, Span<float> weights)
        => Gather(_order.Rows(set, start, count), values, indices, rowStarts, labels, weights);

    /// <inheritdoc/>
    public void ReadSampleSparse(int count, Span<float> values, Span<int> indices, Span<int> rowStarts, Span<float> labels, Span<float> weights)
        => Gather(_order.Sample(count), values, indices, rowStarts, labels, weights);

    private void Gather(ReadOnlySpan<int> rows, Span<float> values, Span<int> indices, Span<int> rowStarts, Span<float> labels, Span<float> weights)
    {
        var next = 0;
        rowStarts[0] = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            var rowValues = _data.RowValues(r);
            rowValues.CopyTo(values[next..]);
            _data.RowIndices(r).CopyTo(indices[next..]);
            next += rowValues.Length;
            rowStarts[i + 1] = next;
            CopyLabel(r, i, labels, weights);
        }
    }

    private void GatherDense(ReadOnlySpan<int> rows, Span<float> features, Span<float> labels, Span<float> weights)
    {
        var columns = _data.Columns;
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            var row = features.Slice(i * columns, columns);
            row.Clear();
            var rowValues = _data.RowValues(r);
            var rowIndices = _data.RowIndices(r);
            for (var p = 0; p < rowValues.Length; p++)
            {
                row[rowIndices[p]] = rowValues[p];
            }

            CopyLabel(r, i, labels, weights);
        }
    }

    private void CopyLabel(int row, int position, Span<float> labels, Span<float> weights)
    {
        labels[position] = _data.Labels[row];
        if (_data.Weights is { } rowWeights)
        {
            weights[position] = rowWeights[row];
        }
    }
}
