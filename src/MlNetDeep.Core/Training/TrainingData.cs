namespace MlNetDeep.Training;

/// <summary>
/// A dense training set: features <c>[Rows, Columns]</c> row-major, one label per row (the class index for
/// multiclass, 0 or 1 for binary, the target value for regression) and optional per-row weights.
/// </summary>
/// <remarks>
/// The arrays are wrapped, not copied: <see cref="Features"/>, <see cref="Labels"/> and <see cref="Weights"/> are the
/// caller's arrays, which the trainer reads and never writes. Changing them while a training runs changes what it reads.
/// </remarks>
public sealed class TrainingData
{
    /// <summary>Wraps a dense training set (the arrays are not copied).</summary>
    /// <param name="features">The features, row-major <c>[rows, columns]</c>; may be longer than <c>rows * columns</c>.</param>
    /// <param name="rows">The number of rows (0 or more).</param>
    /// <param name="columns">The number of features per row (at least 1).</param>
    /// <param name="labels">At least <paramref name="rows"/> labels: class indices for multiclass, 0 or 1 for binary, targets for regression.</param>
    /// <param name="weights">Null (every row weighs 1) or at least <paramref name="rows"/> row weights.</param>
    /// <exception cref="ArgumentException">The arrays are shorter than <paramref name="rows"/> and <paramref name="columns"/> need.</exception>
    public TrainingData(float[] features, int rows, int columns, float[] labels, float[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if ((long)rows * columns > features.Length)
        {
            throw new ArgumentException($"{rows} rows of {columns} features need {(long)rows * columns} values; the buffer holds {features.Length}.", nameof(features));
        }

        if (labels.Length < rows)
        {
            throw new ArgumentException($"{rows} rows need {rows} labels; received {labels.Length}.", nameof(labels));
        }

        if (weights is not null && weights.Length < rows)
        {
            throw new ArgumentException($"{rows} rows need {rows} weights; received {weights.Length}.", nameof(weights));
        }

        Features = features;
        Rows = rows;
        Columns = columns;
        Labels = labels;
        Weights = weights;
    }

    /// <summary>The features, row-major <c>[Rows, Columns]</c>.</summary>
    public float[] Features { get; }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The number of features per row.</summary>
    public int Columns { get; }

    /// <summary>One label per row.</summary>
    public float[] Labels { get; }

    /// <summary>Optional per-row weights (null: every row weighs 1).</summary>
    public float[]? Weights { get; }

    /// <summary>One row's features.</summary>
    public ReadOnlySpan<float> Row(int row) => Features.AsSpan(row * Columns, Columns);
}
