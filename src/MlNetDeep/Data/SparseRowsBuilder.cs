using MlNetDeep.Training;

namespace MlNetDeep.Data;

/// <summary>
/// Collects rows in compressed sparse row form while a view is read, when the number of rows and non-zeros is not known
/// beforehand: the arrays of values, column indices, row starts, labels and weights double when full, so a read holds at
/// most about twice the final non-zeros at once, and <see cref="Build"/> wraps them without another copy.
/// </summary>
internal sealed class SparseRowsBuilder
{
    private float[] _values;
    private int[] _indices;
    private int[] _rowStarts;
    private float[] _labels;
    private float[]? _weights;
    private int _nonZeros;

    /// <summary>Starts with room for <paramref name="rowCapacity"/> rows (the view's count when it knows it) and, with <paramref name="weights"/>, a weight per row.</summary>
    public SparseRowsBuilder(long? rowCapacity, bool weights)
    {
        var rows = (int)Math.Clamp(rowCapacity ?? 1024, 1, Array.MaxLength - 1);
        _values = new float[rows * 4L > Array.MaxLength ? Array.MaxLength : rows * 4];
        _indices = new int[_values.Length];
        _rowStarts = new int[rows + 1];
        _labels = new float[rows];
        _weights = weights ? new float[rows] : null;
    }

    /// <summary>The rows ended so far.</summary>
    public int Rows { get; private set; }

    /// <summary>The non-zeros of the rows ended so far and of the row under way.</summary>
    public int NonZeros => _nonZeros;

    /// <summary>Adds a non-zero to the row under way; columns must increase within a row.</summary>
    public void Add(int column, float value)
    {
        if (_nonZeros == _values.Length)
        {
            if (_values.Length == Array.MaxLength)
            {
                throw new InvalidOperationException($"The training rows hold more than {Array.MaxLength} non-zero feature values, more than sparse training can hold.");
            }

            var size = (int)Math.Min((long)_values.Length * 2, Array.MaxLength);
            Array.Resize(ref _values, size);
            Array.Resize(ref _indices, size);
        }

        _values[_nonZeros] = value;
        _indices[_nonZeros] = column;
        _nonZeros++;
    }

    /// <summary>Ends the row under way with its label and weight.</summary>
    public void EndRow(float label, float weight)
    {
        if (Rows == _labels.Length)
        {
            var size = (int)Math.Min((long)_labels.Length * 2, Array.MaxLength - 1);
            Array.Resize(ref _labels, size);
            Array.Resize(ref _rowStarts, size + 1);
            if (_weights is not null)
            {
                Array.Resize(ref _weights, size);
            }
        }

        _labels[Rows] = label;
        if (_weights is not null)
        {
            _weights[Rows] = weight;
        }

        Rows++;
        _rowStarts[Rows] = _nonZeros;
    }

    /// <summary>The rows ended so far, of <paramref name="columns"/> features (the arrays are the builder's, not copied).</summary>
    public SparseTrainingData Build(int columns) => new(_values, _indices, _rowStarts, Rows, columns, _labels, _weights);
}
