using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Data;

/// <summary>
/// Reads the current row of a cursor over <see cref="TrainingColumns"/>: the features densified into a span (sparse
/// vectors included) or, for sparse training, their non-zeros appended to a <see cref="SparseRowsBuilder"/>; the label
/// encoded for the task (the class index for multiclass, 0 or 1 for binary, the value for regression; a missing label,
/// NaN or key 0, makes the row one to skip) and the example weight. A non-finite feature or a negative or non-finite
/// weight is an <see cref="InvalidOperationException"/> naming the column, the row and, for features, the slot.
/// </summary>
internal sealed class RowReader
{
    private readonly DataViewRowCursor _cursor;
    private readonly TrainingColumns _columns;
    private readonly ValueGetter<VBuffer<float>>? _readVector;
    private readonly ValueGetter<float>? _readScalar;
    private readonly Func<float> _readLabel;
    private readonly ValueGetter<float>? _readWeight;
    private VBuffer<float> _vector;
    private float _scalar;
    private float _weight;

    /// <summary>Creates the getters of <paramref name="cursor"/>, which must have <see cref="TrainingColumns.Active"/> active.</summary>
    public RowReader(DataViewRowCursor cursor, TrainingColumns columns)
    {
        _cursor = cursor;
        _columns = columns;
        if (columns.Feature.Type is VectorDataViewType)
        {
            _readVector = cursor.GetGetter<VBuffer<float>>(columns.Feature);
        }
        else
        {
            _readScalar = cursor.GetGetter<float>(columns.Feature);
        }

        _readLabel = MakeLabelReader(cursor, columns.Label, columns.Task);
        _readWeight = columns.Weight is { } weight ? cursor.GetGetter<float>(weight) : null;
    }

    /// <summary>
    /// A reader of the label alone, for a cursor on which only <paramref name="columns"/>' label column need be active:
    /// the same value <see cref="Read"/> gives (NaN for a missing label).
    /// </summary>
    public static Func<float> LabelReader(DataViewRowCursor cursor, TrainingColumns columns) => MakeLabelReader(cursor, columns.Label, columns.Task);

    /// <summary>
    /// Reads the current row into <paramref name="features"/>, <paramref name="label"/> and <paramref name="weight"/>
    /// (1 without a weight column); returns false, having read only the label, when the label is missing.
    /// </summary>
    public bool Read(Span<float> features, out float label, out float weight)
    {
        if (!ReadLabelAndWeight(out label, out weight))
        {
            return false;
        }

        if (_readVector is not null)
        {
            _readVector(ref _vector);
            _vector.CopyTo(features);
        }
        else
        {
            _readScalar!(ref _scalar);
            features[0] = _scalar;
        }

        CheckFinite(features, _columns.Feature.Name, _cursor.Position, _columns.SlotNames);
        return true;
    }

    /// <summary>
    /// Reads the current row's non-zero features, in increasing column order, into the row <paramref name="rows"/> is
    /// building (the caller ends it), and <paramref name="label"/> and <paramref name="weight"/> as <see cref="Read"/>
    /// does; returns false, having added nothing, when the label is missing.
    /// </summary>
    public bool ReadSparse(SparseRowsBuilder rows, out float label, out float weight)
    {
        if (!ReadLabelAndWeight(out label, out weight))
        {
            return false;
        }

        if (_readVector is null)
        {
            _readScalar!(ref _scalar);
            AddNonZero(rows, 0, _scalar);
            return true;
        }

        _readVector(ref _vector);
        var values = _vector.GetValues();
        if (_vector.IsDense)
        {
            for (var i = 0; i < values.Length; i++)
            {
                AddNonZero(rows, i, values[i]);
            }
        }
        else
        {
            var indices = _vector.GetIndices();
            for (var p = 0; p < values.Length; p++)
            {
                AddNonZero(rows, indices[p], values[p]);
            }
        }

        return true;
    }

    /// <summary>Whether the current row's features are a sparse vector (false for a scalar column).</summary>
    public bool FeaturesAreSparse()
    {
        if (_readVector is null)
        {
            return false;
        }

        _readVector(ref _vector);
        return !_vector.IsDense;
    }

    private void AddNonZero(SparseRowsBuilder rows, int slot, float value)
    {
        if (!float.IsFinite(value))
        {
            throw NotFinite(value, slot, _columns.Feature.Name, _cursor.Position, _columns.SlotNames);
        }

        if (value != 0)
        {
            rows.Add(slot, value);
        }
    }

    /// <summary>Reads the label and, when it is there, the weight (1 without a weight column); false when the label is missing.</summary>
    private bool ReadLabelAndWeight(out float label, out float weight)
    {
        label = _readLabel();
        weight = 1f;
        if (float.IsNaN(label))
        {
            return false;
        }

        if (_readWeight is not null)
        {
            _readWeight(ref _weight);
            if (!float.IsFinite(_weight) || _weight < 0)
            {
                throw new InvalidOperationException($"The example weight column '{_columns.Weight!.Value.Name}' has the value {_weight.ToString(CultureInfo.InvariantCulture)} at row {_cursor.Position}; weights must be finite and non-negative.");
            }

            weight = _weight;
        }

        return true;
    }
    /// <summary>A reader of the current row's encoded label; NaN means the label is missing.</summary>
    private static Func<float> MakeLabelReader(DataViewRowCursor cursor, DataViewSchema.Column column, TaskKind task)
    {
        var type = column.Type.RawType;
        if (task == TaskKind.Multiclass)
        {
            return type == typeof(uint) ? KeyReader<uint>(cursor, column, static k => k)
                : type == typeof(byte) ? KeyReader<byte>(cursor, column, static k => k)
                : type == typeof(ushort) ? KeyReader<ushort>(cursor, column, static k => k)
                : KeyReader<ulong>(cursor, column, static k => k);
        }

        if (task == TaskKind.Binary)
        {
            return Reader<bool>(cursor, column, static b => b ? 1f : 0f);
        }

        return type == typeof(float) ? Reader<float>(cursor, column, static v => v)
            : type == typeof(double) ? Reader<double>(cursor, column, static v => (float)v)
            : Reader<int>(cursor, column, static v => v);
    }
    private static Func<float> Reader<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, float> convert)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return convert(value);
        };
    }
    /// <summary>Keys are 1-based with 0 for missing; the class index is key − 1.</summary>
    private static Func<float> KeyReader<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, ulong> toUInt64)
        => Reader<T>(cursor, column, key => toUInt64(key) is var k && k == 0 ? float.NaN : k - 1);
    private static void CheckFinite(ReadOnlySpan<float> row, string columnName, long rowIndex, string[]? slotNames)
    {
        for (var i = 0; i < row.Length; i++)
        {
            if (!float.IsFinite(row[i]))
            {
                throw NotFinite(row[i], i, columnName, rowIndex, slotNames);
            }
        }
    }

    private static InvalidOperationException NotFinite(float value, int slotIndex, string columnName, long rowIndex, string[]? slotNames)
    {
        var what = float.IsNaN(value) ? "a missing (NaN)" : "an infinite";
        var slot = slotNames is null ? $"slot {slotIndex}" : $"slot {slotIndex} ('{slotNames[slotIndex]}')";
        return new InvalidOperationException($"The feature column '{columnName}' has {what} value at row {rowIndex}, {slot}. Replace missing values first, e.g. with mlContext.Transforms.ReplaceMissingValues(\"{columnName}\"), or drop such rows with mlContext.Data.FilterRowsByMissingValues.");
    }
}
