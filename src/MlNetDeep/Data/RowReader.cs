using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Data;

/// <summary>
/// Reads the current row of a cursor over <see cref="TrainingColumns"/>: the features densified into a span (sparse
/// vectors included), the label encoded for the task (the class index for multiclass, 0 or 1 for binary, the value for
/// regression; a missing label, NaN or key 0, makes the row one to skip) and the example weight. A non-finite feature
/// or a negative or non-finite weight is an <see cref="InvalidOperationException"/> naming the column, the row and,
/// for features, the slot.
/// </summary>
internal sealed class RowReader
{
    private readonly DataViewRowCursor _cursor;
    private readonly TrainingColumns _columns;
    private readonly SpanAction _readFeatures;
    private readonly Func<float> _readLabel;
    private readonly ValueGetter<float>? _readWeight;
    private float _weight;

    /// <summary>Creates the getters of <paramref name="cursor"/>, which must have <see cref="TrainingColumns.Active"/> active.</summary>
    public RowReader(DataViewRowCursor cursor, TrainingColumns columns)
    {
        _cursor = cursor;
        _columns = columns;
        _readFeatures = MakeFeatureReader(cursor, columns.Feature);
        _readLabel = MakeLabelReader(cursor, columns.Label, columns.Task);
        _readWeight = columns.Weight is { } weight ? cursor.GetGetter<float>(weight) : null;
    }

    /// <summary>
    /// Reads the current row into <paramref name="features"/>, <paramref name="label"/> and <paramref name="weight"/>
    /// (1 without a weight column); returns false, having read only the label, when the label is missing.
    /// </summary>
    public bool Read(Span<float> features, out float label, out float weight)
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

        _readFeatures(features);
        CheckFinite(features, _columns.Feature.Name, _cursor.Position, _columns.SlotNames);
        return true;
    }

    /// <summary>A reader that densifies the current row's features into its argument.</summary>
    private static SpanAction MakeFeatureReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            var buffer = default(VBuffer<float>);
            return row =>
            {
                getter(ref buffer);
                buffer.CopyTo(row);
            };
        }

        var scalarGetter = cursor.GetGetter<float>(column);
        var value = 0f;
        return row =>
        {
            scalarGetter(ref value);
            row[0] = value;
        };
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
                var what = float.IsNaN(row[i]) ? "a missing (NaN)" : "an infinite";
                var slot = slotNames is null ? $"slot {i}" : $"slot {i} ('{slotNames[i]}')";
                throw new InvalidOperationException($"The feature column '{columnName}' has {what} value at row {rowIndex}, {slot}. Replace missing values first, e.g. with mlContext.Transforms.ReplaceMissingValues(\"{columnName}\"), or drop such rows with mlContext.Data.FilterRowsByMissingValues.");
            }
        }
    }
    private delegate void SpanAction(Span<float> row);
}
