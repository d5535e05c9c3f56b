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
    private int[] _training;
    private int[] _validation = [];

    /// <summary>Serves the rows of <paramref name="data"/>, all of them training rows until <see cref="Split"/>.</summary>
    public InMemoryBatchSource(TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        _training = Enumerable.Range(0, data.Rows).ToArray();
    }

    /// <inheritdoc/>
    public int Columns => _data.Columns;

    /// <inheritdoc/>
    public bool HasWeights => _data.Weights is not null;

    /// <inheritdoc/>
    public int Count(RowSet set) => Rows(set).Length;

    /// <inheritdoc/>
    public void Split(TaskKind task, float validationFraction, RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var all = Enumerable.Range(0, _data.Rows).ToArray();
        (_training, _validation) = (all, []);
        if (validationFraction <= 0 || _data.Rows < 2)
        {
            return;
        }

        if (task == TaskKind.Regression)
        {
            random.Shuffle(all);
            var count = Math.Clamp((int)Math.Round(validationFraction * _data.Rows), 1, _data.Rows - 1);
            (_training, _validation) = (all[count..], all[..count]);
            return;
        }

        var validation = new List<int>();
        var training = new List<int>();
        foreach (var group in all.GroupBy(r => _data.Labels[r]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            var count = Math.Min((int)Math.Round(validationFraction * members.Length), members.Length - 1);
            validation.AddRange(members[..count]);
            training.AddRange(members[count..]);
        }

        if (validation.Count > 0)
        {
            (_training, _validation) = (training.Order().ToArray(), validation.Order().ToArray());
        }
    }

    /// <inheritdoc/>
    public void Shuffle(RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        random.Shuffle(_training);
    }

    /// <inheritdoc/>
    public void Read(RowSet set, int start, int count, Span<float> features, Span<float> labels, Span<float> weights)
    {
        var rows = Rows(set);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, rows.Length - start);
        Gather(rows.AsSpan(start, count), features, labels, weights);
    }

    /// <inheritdoc/>
    public void ReadSample(int count, Span<float> features, Span<float> labels, Span<float> weights)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _training.Length);
        var sample = new int[count];
        for (var i = 0; i < count; i++)
        {
            sample[i] = _training[(int)((long)i * _training.Length / count)];
        }

        Gather(sample, features, labels, weights);
    }

    private int[] Rows(RowSet set) => set == RowSet.Training ? _training : _validation;

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
