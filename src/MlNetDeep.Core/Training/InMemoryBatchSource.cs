using MlNetDeep.Compute;

namespace MlNetDeep.Training;

/// <summary>
/// A <see cref="IBatchSource"/> over a dense <see cref="TrainingData"/>: the split is stratified by class for
/// classification (each class gives its share and keeps at least one training row) and a random share for
/// regression; orders are index arrays into the data, so a batch is a gather of rows and nothing is copied beforehand.
/// </summary>
public sealed class InMemoryBatchSource : IBatchSource
{
    private readonly TrainingData _data;
    private readonly RowOrder _order;

    /// <summary>Serves the rows of <paramref name="data"/>, all of them training rows until <see cref="Split"/>.</summary>
    public InMemoryBatchSource(TrainingData data)
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
    public void Read(RowSet set, int start, int count, Span<float> features, Span<float> labels, Span<float> weights)
        => Gather(_order.Rows(set, start, count), features, labels, weights);

    /// <inheritdoc/>
    public void ReadSample(int count, Span<float> features, Span<float> labels, Span<float> weights)
        => Gather(_order.Sample(count), features, labels, weights);

    private void Gather(ReadOnlySpan<int> rows, Span<float> features, Span<float> labels, Span<float> weights)
    {
        var columns = _data.Columns;
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            _data.Row(r).CopyTo(features.Slice(i * columns, columns));
            labels[i] = _data.Labels[r];
            if (_data.Weights is { } rowWeights)
            {
                weights[i] = rowWeights[r];
            }
        }
    }
}
