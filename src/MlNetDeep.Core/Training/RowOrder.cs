using MlNetDeep.Compute;

namespace MlNetDeep.Training;

/// <summary>
/// The row bookkeeping of the in-memory sources (<see cref="InMemoryBatchSource"/>, <see cref="InMemorySparseBatchSource"/>):
/// the split into training and validation rows, stratified by class for classification (each class gives its share and
/// keeps at least one training row) and a random share for regression; the order of the training rows, redrawn by
/// every shuffle; and the positions a pass or the diagnostics sample reads. Orders are index arrays into the data, so a
/// batch is a gather of rows and nothing is copied beforehand.
/// </summary>
internal sealed class RowOrder
{
    private readonly float[] _labels;
    private readonly int _rows;
    private int[] _training;
    private int[] _validation = [];

    /// <summary>All <paramref name="rows"/> rows are training rows until <see cref="Split"/>; <paramref name="labels"/> are their labels.</summary>
    public RowOrder(int rows, float[] labels)
    {
        _rows = rows;
        _labels = labels;
        _training = Enumerable.Range(0, rows).ToArray();
    }

    /// <summary>The rows of <paramref name="set"/> in their current order.</summary>
    public int[] Rows(RowSet set) => set == RowSet.Training ? _training : _validation;

    /// <summary>The rows at positions <c>[start, start + count)</c> of <paramref name="set"/>'s current order.</summary>
    public ReadOnlySpan<int> Rows(RowSet set, int start, int count)
    {
        var rows = Rows(set);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, rows.Length - start);
        return rows.AsSpan(start, count);
    }

    /// <summary>Splits the rows into training and validation rows, drawing from <paramref name="random"/> (see <see cref="IBatchSource.Split"/>).</summary>
    public void Split(TaskKind task, float validationFraction, RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var all = Enumerable.Range(0, _rows).ToArray();
        (_training, _validation) = (all, []);
        if (validationFraction <= 0 || _rows < 2)
        {
            return;
        }

        if (task == TaskKind.Regression)
        {
            random.Shuffle(all);
            var count = ValidationRows(task, validationFraction, _rows);
            (_training, _validation) = (all[count..], all[..count]);
            return;
        }

        var validation = new List<int>();
        var training = new List<int>();
        foreach (var group in all.GroupBy(r => _labels[r]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            var count = ValidationRows(task, validationFraction, members.Length);
            validation.AddRange(members[..count]);
            training.AddRange(members[count..]);
        }

        if (validation.Count > 0)
        {
            (_training, _validation) = (training.Order().ToArray(), validation.Order().ToArray());
        }
    }

    /// <summary>
    /// How many rows a split holds out of a group of <paramref name="rows"/> rows: for classification a group is one
    /// class, which gives its share rounded and keeps at least one training row; for regression the group is every row,
    /// which gives its share rounded, at least one and at most all but one (none of fewer than two rows). Every source's
    /// split holds out these counts, so the training and validation rows number the same whichever source serves them.
    /// </summary>
    /// <param name="task">The task: classes are groups of their own, regression rows one group.</param>
    /// <param name="validationFraction">The share to hold out, in [0, 1).</param>
    /// <param name="rows">The rows of the group.</param>
    internal static int ValidationRows(TaskKind task, float validationFraction, int rows)
    {
        if (validationFraction <= 0 || rows < 2)
        {
            return 0;
        }

        var share = (int)Math.Round(validationFraction * rows);
        return task == TaskKind.Regression ? Math.Clamp(share, 1, rows - 1) : Math.Min(share, rows - 1);
    }

    /// <summary>Draws a new order of the training rows from <paramref name="random"/>.</summary>
    public void Shuffle(RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        random.Shuffle(_training);
    }

    /// <summary><paramref name="count"/> training rows spread evenly over the current order: row <c>⌊i·Count/count⌋</c> for the i-th.</summary>
    public int[] Sample(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _training.Length);
        var sample = new int[count];
        for (var i = 0; i < count; i++)
        {
            sample[i] = _training[(int)((long)i * _training.Length / count)];
        }

        return sample;
    }
}
