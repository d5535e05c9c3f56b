namespace MlNetDeep.Layers;

/// <summary>
/// The raw rows a forward pass reads: dense, row-major <c>[rows, InputSize]</c>, or sparse in compressed sparse row form
/// (row r's non-zero <see cref="Values"/> at the columns <see cref="Indices"/>, from <c>RowStarts[r]</c> to
/// <c>RowStarts[r + 1]</c>, offsets into the two spans). A dense span converts to it implicitly.
/// </summary>
internal readonly ref struct InputRows
{
    /// <summary>Dense rows, row-major.</summary>
    public InputRows(ReadOnlySpan<float> dense)
    {
        Dense = dense;
    }

    /// <summary>Sparse rows in compressed sparse row form; <paramref name="rowStarts"/> holds one offset more than there are rows.</summary>
    public InputRows(ReadOnlySpan<float> values, ReadOnlySpan<int> indices, ReadOnlySpan<int> rowStarts)
    {
        Values = values;
        Indices = indices;
        RowStarts = rowStarts;
        IsSparse = true;
    }

    /// <summary>Whether the rows are sparse (<see cref="Values"/>, <see cref="Indices"/>, <see cref="RowStarts"/>) rather than <see cref="Dense"/>.</summary>
    public bool IsSparse { get; }

    /// <summary>The dense rows (empty when sparse).</summary>
    public ReadOnlySpan<float> Dense { get; }

    /// <summary>The non-zero values of the sparse rows.</summary>
    public ReadOnlySpan<float> Values { get; }

    /// <summary>The column of each of <see cref="Values"/>.</summary>
    public ReadOnlySpan<int> Indices { get; }

    /// <summary>Offsets into <see cref="Values"/> and <see cref="Indices"/> where each row starts, and where the last ends.</summary>
    public ReadOnlySpan<int> RowStarts { get; }

    /// <summary>Rows <c>[start, start + count)</c> (dense rows have <paramref name="inputSize"/> values each).</summary>
    public InputRows Slice(int start, int count, int inputSize)
        => IsSparse ? new InputRows(Values, Indices, RowStarts.Slice(start, count + 1)) : new InputRows(Dense.Slice(start * inputSize, count * inputSize));

    /// <summary>Writes rows <c>[0, rows)</c> densely into <paramref name="target"/> <c>[rows, inputSize]</c>.</summary>
    public void Densify(Span<float> target, int rows, int inputSize)
    {
        if (!IsSparse)
        {
            Dense[..(rows * inputSize)].CopyTo(target);
            return;
        }

        target[..(rows * inputSize)].Clear();
        for (var r = 0; r < rows; r++)
        {
            var row = target.Slice(r * inputSize, inputSize);
            for (var p = RowStarts[r]; p < RowStarts[r + 1]; p++)
            {
                row[Indices[p]] = Values[p];
            }
        }
    }

    /// <summary>Dense rows.</summary>
    public static implicit operator InputRows(ReadOnlySpan<float> dense) => new(dense);

    /// <summary>Dense rows.</summary>
    public static implicit operator InputRows(Span<float> dense) => new(dense);

    /// <summary>Dense rows.</summary>
    public static implicit operator InputRows(float[] dense) => new(dense);
}
