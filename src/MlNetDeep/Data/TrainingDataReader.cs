using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Data;

/// <summary>
/// Reads an <c>IDataView</c> into <see cref="LoadedTrainingData"/> in one cursor pass (two when the view does not know
/// its row count: the first counts the rows, so the copy is allocated once at its final size), using ML.NET's public API only.
/// Accepted columns: features a known-size vector of <c>Single</c> (sparse vectors are densified) or a
/// <c>Single</c>; label a key for multiclass classification, <c>Boolean</c> for binary classification, and
/// <c>Single</c> (or <c>Double</c>, <c>Int32</c>) for regression; example weight <c>Single</c>.
/// Rows whose label is missing (NaN, or key 0) are skipped and counted; any other problem is an exception
/// that names the column and says what to do.
/// </summary>
internal static class TrainingDataReader
{
    private const string SlotNamesKind = "SlotNames";
    private const string KeyValuesKind = "KeyValues";

    /// <summary>Reads every row of <paramref name="data"/>.</summary>
    /// <param name="data">The training data.</param>
    /// <param name="featureColumnName">The feature column.</param>
    /// <param name="labelColumnName">The label column.</param>
    /// <param name="task">Which label type to expect and how to encode it.</param>
    /// <param name="exampleWeightColumnName">The example weight column, or null for unweighted rows.</param>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidOperationException">The values are unusable: a non-finite feature, a negative or
    /// non-finite weight, no rows with a label, or a single class for classification.</exception>
    public static LoadedTrainingData Read(IDataView data, string featureColumnName, string labelColumnName, TaskKind task, string? exampleWeightColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        ArgumentException.ThrowIfNullOrEmpty(labelColumnName);
        var schema = data.Schema;
        var featureColumn = FindColumn(schema, featureColumnName, "feature", nameof(featureColumnName));
        var labelColumn = FindColumn(schema, labelColumnName, "label", nameof(labelColumnName));
        var weightColumn = exampleWeightColumnName is null ? (DataViewSchema.Column?)null : FindColumn(schema, exampleWeightColumnName, "example weight", nameof(exampleWeightColumnName));

        var featureCount = CheckFeatureType(featureColumn);
        var classCount = CheckLabelType(labelColumn, task);
        if (weightColumn is { } weight && weight.Type != NumberDataViewType.Single)
        {
            throw new ArgumentException($"The example weight column '{weight.Name}' must be Single; found {weight.Type}.", nameof(exampleWeightColumnName));
        }

        var columns = new List<DataViewSchema.Column> { featureColumn, labelColumn };
        if (weightColumn is { } w)
        {
            columns.Add(w);
        }

        // The copy is allocated once at its final size: the row count comes from the view, or from one counting pass
        // over it (which reads no column), so a large data set never needs room for twice its rows.
        var capacity = data.GetRowCount() ?? CountRows(data);
        if (capacity == 0)
        {
            throw new InvalidOperationException("The training data has no rows.");
        }

        if (capacity * featureCount > Array.MaxLength)
        {
            throw new InvalidOperationException($"The training data has {capacity} rows of {featureCount} features, {capacity * featureCount} values: more than one array can hold ({Array.MaxLength}).");
        }

        var features = new float[capacity * featureCount];
        var labels = new float[capacity];
        var weights = weightColumn is null ? null : new float[capacity];
        var rows = 0;
        long skipped = 0;
        long seen = 0;
        var slotNames = ReadAnnotationAsText(featureColumn, SlotNamesKind, featureCount);

        using (var cursor = data.GetRowCursor(columns))
        {
            var readFeatures = MakeFeatureReader(cursor, featureColumn);
            var readLabel = MakeLabelReader(cursor, labelColumn, task);
            ValueGetter<float>? readWeight = weightColumn is { } wc ? cursor.GetGetter<float>(wc) : null;
            var weightValue = 0f;
            while (cursor.MoveNext())
            {
                seen++;
                var label = readLabel();
                if (float.IsNaN(label))
                {
                    skipped++;
                    continue;
                }

                if (readWeight is not null)
                {
                    readWeight(ref weightValue);
                    if (!float.IsFinite(weightValue) || weightValue < 0)
                    {
                        throw new InvalidOperationException($"The example weight column '{weightColumn!.Value.Name}' has the value {weightValue.ToString(CultureInfo.InvariantCulture)} at row {cursor.Position}; weights must be finite and non-negative.");
                    }
                }

                if (rows == labels.Length)
                {
                    throw new InvalidOperationException($"The training data gave more rows than the {labels.Length} it counted before reading them: its row count changed between two passes. An IDataView must give the same rows on every pass.");
                }

                var row = features.AsSpan(rows * featureCount, featureCount);
                readFeatures(row);
                CheckFinite(row, featureColumn.Name, cursor.Position, slotNames);
                labels[rows] = label;
                if (weights is not null)
                {
                    weights[rows] = weightValue;
                }

                rows++;
            }
        }

        if (seen == 0)
        {
            throw new InvalidOperationException("The training data has no rows.");
        }

        if (rows == 0)
        {
            throw new InvalidOperationException($"All {seen} rows have a missing label in the label column '{labelColumn.Name}' (NaN or key 0), so there is nothing to train on.");
        }

        var classNames = task == TaskKind.Multiclass ? ReadAnnotationAsText(labelColumn, KeyValuesKind, classCount) : null;
        if (task != TaskKind.Regression)
        {
            CheckSeveralClasses(labels.AsSpan(0, rows), labelColumn.Name, classNames);
        }

        // Rows skipped for a missing label leave the end of the arrays unused; the data knows its row count, and
        // shrinking the arrays would copy them.
        return new LoadedTrainingData(new TrainingData(features, rows, featureCount, labels, weights), classCount, skipped, slotNames, classNames);
    }

    /// <summary>Counts the rows of <paramref name="data"/> with a cursor that reads no column.</summary>
    private static long CountRows(IDataView data)
    {
        long count = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            count++;
        }

        return count;
    }

    private static DataViewSchema.Column FindColumn(DataViewSchema schema, string name, string role, string parameterName)
    {
        if (schema.GetColumnOrNull(name) is { } column)
        {
            return column;
        }

        var available = string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})"));
        throw new ArgumentException($"The {role} column '{name}' is not in the data. Available columns: {(available.Length == 0 ? "none" : available)}.", parameterName);
    }

    /// <summary>Returns the number of features, or throws if the column is not a known-size Single vector or a Single.</summary>
    private static int CheckFeatureType(DataViewSchema.Column column)
    {
        if (column.Type == NumberDataViewType.Single)
        {
            return 1;
        }

        if (column.Type is VectorDataViewType vector && vector.ItemType == NumberDataViewType.Single)
        {
            if (!vector.IsKnownSize)
            {
                throw new ArgumentException($"The feature column '{column.Name}' is a vector of Single of variable size; the trainer needs a known size. Build the column with mlContext.Transforms.Concatenate, or give the input class's array a [VectorType(size)] attribute.", "featureColumnName");
            }

            return vector.Size;
        }

        throw new ArgumentException($"The feature column '{column.Name}' must be a known-size vector of Single (or a Single); found {column.Type}. Convert it with mlContext.Transforms.Conversion.ConvertType and mlContext.Transforms.Concatenate.", "featureColumnName");
    }

    /// <summary>Returns the class count (0 for regression), or throws if the label column has the wrong type for <paramref name="task"/>.</summary>
    private static int CheckLabelType(DataViewSchema.Column column, TaskKind task)
    {
        switch (task)
        {
            case TaskKind.Multiclass:
                if (column.Type is not KeyDataViewType key)
                {
                    throw new ArgumentException($"The label column '{column.Name}' must be a key type for multiclass classification; found {column.Type}. Use mlContext.Transforms.Conversion.MapValueToKey(\"{column.Name}\") before the trainer.", "labelColumnName");
                }

                if (key.Count > int.MaxValue)
                {
                    throw new ArgumentException($"The label column '{column.Name}' is a key with {key.Count} values; at most {int.MaxValue} classes are supported.", "labelColumnName");
                }

                return (int)key.Count;
            case TaskKind.Binary:
                if (column.Type != BooleanDataViewType.Instance)
                {
                    throw new ArgumentException($"The label column '{column.Name}' must be Boolean for binary classification; found {column.Type}.", "labelColumnName");
                }

                return 2;
            case TaskKind.Regression:
                if (column.Type != NumberDataViewType.Single && column.Type != NumberDataViewType.Double && column.Type != NumberDataViewType.Int32)
                {
                    throw new ArgumentException($"The label column '{column.Name}' must be Single for regression (Double and Int32 are converted); found {column.Type}.", "labelColumnName");
                }

                return 0;
            default:
                throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown model task.");
        }
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

    private static void CheckSeveralClasses(ReadOnlySpan<float> labels, string columnName, string[]? classNames)
    {
        var first = labels[0];
        foreach (var label in labels)
        {
            if (label != first)
            {
                return;
            }
        }

        var index = (int)first;
        var name = classNames is not null && index < classNames.Length ? classNames[index] : first.ToString(CultureInfo.InvariantCulture);
        throw new InvalidOperationException($"The label column '{columnName}' has only one class ('{name}') in the {labels.Length} rows with a label; classification needs at least two classes.");
    }

    /// <summary>Reads a vector annotation of <paramref name="count"/> values as text, or null when the column has none of that size.</summary>
    private static string[]? ReadAnnotationAsText(DataViewSchema.Column column, string kind, int count)
    {
        if (column.Annotations.Schema.GetColumnOrNull(kind) is not { Type: VectorDataViewType { Size: var size } vector } || size != count)
        {
            return null;
        }

        var read = typeof(TrainingDataReader)
            .GetMethod(nameof(ReadAnnotationValues), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(vector.ItemType.RawType);
        return (string[])read.Invoke(null, [column.Annotations, kind])!;
    }

    private static string[] ReadAnnotationValues<T>(DataViewSchema.Annotations annotations, string kind)
    {
        var values = default(VBuffer<T>);
        annotations.GetValue(kind, ref values);
        return [.. values.DenseValues().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")];
    }

    private delegate void SpanAction(Span<float> row);
}
