namespace MlNetDeep.Training;

/// <summary>
/// A sparse training set in compressed sparse row (CSR) form: row <c>r</c>'s non-zero features are
/// <c>Values[RowStarts[r] .. RowStarts[r + 1])</c> at the columns <c>Indices[RowStarts[r] .. RowStarts[r + 1])</c>, every
/// other feature of the row is zero; one label per row (the class index for multiclass, 0 or 1 for binary, the target
/// value for regression) and optional per-row weights. The rows of a text featurization (tens of thousands of n-gram
/// columns, a few hundred non-zeros per row) take a few bytes per non-zero here instead of 4 bytes per column.
/// </summary>
/// <remarks>
/// <para>
/// The arrays are wrapped, not copied, as <see cref="TrainingData"/>'s are; the trainer reads them and never writes them.
/// The constructor checks the structure: <c>RowStarts[0] = 0</c>, row starts that never decrease, and within every row
/// column indices in <c>[0, Columns)</c> that strictly increase.
/// </para>
/// <para>
/// <see cref="NetworkTrainer.Train(NetworkSpec, SparseTrainingData, TrainingSettings, Action{TrainingEpoch})"/> trains on
/// these rows without densifying them: the first dense layer's product and weight gradient run over the non-zeros only
/// (see <see cref="ISparseBatchSource"/> for what that asks of the network and how the features are scaled).
/// </para>
/// </remarks>
public sealed class SparseTrainingData
{
    /// <summary>Wraps a sparse training set (the arrays are not copied).</summary>
    /// <param name="values">The non-zero values, row after row; may be longer than <c>rowStarts[rows]</c>.</param>
    /// <param name="indices">The column of each value, increasing within a row; at least as long as the values used.</param>
    /// <param name="rowStarts">At least <paramref name="rows"/> + 1 offsets: row <c>r</c> holds the values from <c>rowStarts[r]</c> to <c>rowStarts[r + 1]</c>.</param>
    /// <param name="rows">The number of rows (0 or more).</param>
    /// <param name="columns">The number of features per row (at least 1).</param>
    /// <param name="labels">At least <paramref name="rows"/> labels: class indices for multiclass, 0 or 1 for binary, targets for regression.</param>
    /// <param name="weights">Null (every row weighs 1) or at least <paramref name="rows"/> row weights.</param>
    /// <exception cref="ArgumentException">An array is too short, or the row starts or column indices are out of order or range (the message names the row).</exception>
    public SparseTrainingData(float[] values, int[] indices, int[] rowStarts, int rows, int columns, float[] labels, float[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(rowStarts);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (rowStarts.Length < rows + 1)
        {
            throw new ArgumentException($"{rows} rows need {rows + 1} row starts; received {rowStarts.Length}.", nameof(rowStarts));
        }

        if (rowStarts[0] != 0)
        {
            throw new ArgumentException($"The first row must start at 0. Received: rowStarts[0]={rowStarts[0]}.", nameof(rowStarts));
        }

        var nonZeros = rowStarts[rows];
        if (nonZeros > values.Length || nonZeros > indices.Length)
        {
            throw new ArgumentException($"{rows} rows hold {nonZeros} non-zeros; received {values.Length} values and {indices.Length} column indices.", nameof(values));
        }

        for (var r = 0; r < rows; r++)
        {
            int start = rowStarts[r], end = rowStarts[r + 1];
            if (end < start)
            {
                throw new ArgumentException($"Row {r} ends before it starts. Received: rowStarts[{r}]={start}, rowStarts[{r + 1}]={end}.", nameof(rowStarts));
            }

            var previous = -1;
            for (var p = start; p < end; p++)
            {
                var column = indices[p];
                if (column <= previous || column >= columns)
                {
                    throw new ArgumentException($"Row {r}'s column indices must increase within [0, {columns}). Received: {column} after {previous}.", nameof(indices));
                }

                previous = column;
            }
        }

        if (labels.Length < rows)
        {
            throw new ArgumentException($"{rows} rows need {rows} labels; received {labels.Length}.", nameof(labels));
        }

        if (weights is not null && weights.Length < rows)
        {
            throw new ArgumentException($"{rows} rows need {rows} weights; received {weights.Length}.", nameof(weights));
        }

        Values = values;
        Indices = indices;
        RowStarts = rowStarts;
        Rows = rows;
        Columns = columns;
        Labels = labels;
        Weights = weights;
    }

    /// <summary>The non-zero values, row after row.</summary>
    public float[] Values { get; }

    /// <summary>The column of each of <see cref="Values"/>.</summary>
    public int[] Indices { get; }

    /// <summary><see cref="Rows"/> + 1 offsets into <see cref="Values"/> and <see cref="Indices"/>: row <c>r</c> holds <c>[RowStarts[r], RowStarts[r + 1])</c>.</summary>
    public int[] RowStarts { get; }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The number of features per row.</summary>
    public int Columns { get; }

    /// <summary>One label per row.</summary>
    public float[] Labels { get; }

    /// <summary>Optional per-row weights (null: every row weighs 1).</summary>
    public float[]? Weights { get; }

    /// <summary>The number of non-zero values of all rows.</summary>
    public int NonZeroCount => RowStarts[Rows];

    /// <summary>The non-zero values of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> RowValues(int row) => Values.AsSpan(RowStarts[row], RowStarts[row + 1] - RowStarts[row]);

    /// <summary>The columns of row <paramref name="row"/>'s non-zero values, increasing.</summary>
    public ReadOnlySpan<int> RowIndices(int row) => Indices.AsSpan(RowStarts[row], RowStarts[row + 1] - RowStarts[row]);
}
