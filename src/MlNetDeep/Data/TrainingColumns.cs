using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Data;

/// <summary>
/// The columns a trainer reads from an <c>IDataView</c>, found and checked once: features a known-size vector of
/// <c>Single</c> (or a <c>Single</c>); label a key for multiclass classification, <c>Boolean</c> for binary
/// classification, and <c>Single</c> (or <c>Double</c>, <c>Int32</c>) for regression; example weight <c>Single</c>.
/// A missing column or a wrong type is an <see cref="ArgumentException"/> that names the column and says what to do.
/// </summary>
internal sealed class TrainingColumns
{
    private const string SlotNamesKind = "SlotNames";
    private const string KeyValuesKind = "KeyValues";

    private TrainingColumns(DataViewSchema.Column feature, DataViewSchema.Column label, DataViewSchema.Column? weight, TaskKind task, int featureCount, int classCount)
    {
        Feature = feature;
        Label = label;
        Weight = weight;
        Task = task;
        FeatureCount = featureCount;
        ClassCount = classCount;
        Active = weight is { } w ? [feature, label, w] : [feature, label];
        SlotNames = ReadAnnotationAsText(feature, SlotNamesKind, featureCount);
    }

    /// <summary>The feature column.</summary>
    public DataViewSchema.Column Feature { get; }

    /// <summary>The label column.</summary>
    public DataViewSchema.Column Label { get; }

    /// <summary>The example weight column, or null for unweighted rows.</summary>
    public DataViewSchema.Column? Weight { get; }

    /// <summary>Which label type the columns were checked for.</summary>
    public TaskKind Task { get; }

    /// <summary>The number of features.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of classes: the label key's count for multiclass, 2 for binary, 0 for regression.</summary>
    public int ClassCount { get; }

    /// <summary>The columns a cursor must make active.</summary>
    public IReadOnlyList<DataViewSchema.Column> Active { get; }

    /// <summary>The feature column's slot names (one per feature), or null when it has none.</summary>
    public string[]? SlotNames { get; }

    /// <summary>Finds and checks the columns in <paramref name="schema"/>.</summary>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type.</exception>
    public static TrainingColumns Find(DataViewSchema schema, string featureColumnName, string labelColumnName, TaskKind task, string? exampleWeightColumnName)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        ArgumentException.ThrowIfNullOrEmpty(labelColumnName);
        var featureColumn = FindColumn(schema, featureColumnName, "feature", nameof(featureColumnName));
        var labelColumn = FindColumn(schema, labelColumnName, "label", nameof(labelColumnName));
        var weightColumn = exampleWeightColumnName is null ? (DataViewSchema.Column?)null : FindColumn(schema, exampleWeightColumnName, "example weight", nameof(exampleWeightColumnName));
        var featureCount = CheckFeatureType(featureColumn);
        var classCount = CheckLabelType(labelColumn, task);
        if (weightColumn is { } weight && weight.Type != NumberDataViewType.Single)
        {
            throw new ArgumentException($"The example weight column '{weight.Name}' must be Single; found {weight.Type}.", nameof(exampleWeightColumnName));
        }

        return new TrainingColumns(featureColumn, labelColumn, weightColumn, task, featureCount, classCount);
    }

    /// <summary>The label key's values as text (one per class, in class-index order), or null for regression, binary classification or a key without them.</summary>
    public string[]? ClassNames() => Task == TaskKind.Multiclass ? ReadAnnotationAsText(Label, KeyValuesKind, ClassCount) : null;

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
    /// <summary>Reads a vector annotation of <paramref name="count"/> values as text, or null when the column has none of that size.</summary>
    private static string[]? ReadAnnotationAsText(DataViewSchema.Column column, string kind, int count)
    {
        if (column.Annotations.Schema.GetColumnOrNull(kind) is not { Type: VectorDataViewType { Size: var size } vector } || size != count)
        {
            return null;
        }

        var read = typeof(TrainingColumns)
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
}
