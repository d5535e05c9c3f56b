using System.Globalization;
using MlNetDeep.Training;

namespace MlNetDeep.Cli.Data;

/// <summary>
/// The columns of a training table: which one is the label, the kind of every feature column, and the task.
/// Inference rules: a column whose non-empty values all parse as numbers is <see cref="ColumnKind.Numeric"/>;
/// one with at least <see cref="TypoShare"/> non-numeric values is <see cref="ColumnKind.Categorical"/>; in between
/// (a few stray words among numbers) is treated as a mistake in the data and reported with its row and column.
/// Columns of category codes written as numbers are categorical only when named as such.
/// The task, when not given: a label with exactly two distinct values is binary; a text label, or integer
/// labels with at most <see cref="MaxIntegerClasses"/> distinct values, is multiclass; anything else is regression.
/// </summary>
internal sealed class DatasetSchema
{
    /// <summary>Below this share of non-numeric values, a column is numeric with bad values rather than categorical.</summary>
    public const double TypoShare = 0.05;

    /// <summary>The largest number of distinct integer labels that still means classes rather than a numeric target.</summary>
    public const int MaxIntegerClasses = 20;

    private DatasetSchema(string label, TaskKind task, IReadOnlyList<(string Name, ColumnKind Kind)> features, IReadOnlyList<string> classes)
    {
        Label = label;
        Task = task;
        Features = features;
        Classes = classes;
    }

    /// <summary>The label column.</summary>
    public string Label { get; }

    /// <summary>The task.</summary>
    public TaskKind Task { get; }

    /// <summary>Every other column, in file order, with its kind.</summary>
    public IReadOnlyList<(string Name, ColumnKind Kind)> Features { get; }

    /// <summary>The distinct label values in sort order (classification only; empty for regression).</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Infers the schema of <paramref name="table"/>.</summary>
    /// <param name="table">The training table.</param>
    /// <param name="label">The label column name.</param>
    /// <param name="task">The task, or null to infer it from the label values.</param>
    /// <param name="categorical">Feature columns that are categorical whatever their values (codes written as numbers); null for none.</param>
    /// <exception cref="CliException">The label column is missing or unusable, a column named in <paramref name="categorical"/> is not a feature column, or a numeric column holds a stray non-numeric value.</exception>
    public static DatasetSchema Infer(CsvTable table, string label, TaskKind? task, IReadOnlyCollection<string>? categorical = null)
    {
        var labelIndex = table.IndexOf(label);
        if (labelIndex < 0)
        {
            throw new CliException($"The label column '{label}' is not in {table.Source}. Available columns: {string.Join(", ", table.Columns)}. Choose one with --label.", CliException.UsageError);
        }

        if (table.Columns.Count < 2)
        {
            throw new CliException($"{table.Source} has only the label column '{label}': at least one feature column is needed.");
        }

        categorical ??= [];
        foreach (var name in categorical)
        {
            if (name == label || table.IndexOf(name) < 0)
            {
                throw new CliException($"The categorical column '{name}' is not a feature column of {table.Source}. Feature columns: {string.Join(", ", table.Columns.Where(c => c != label))}.", CliException.UsageError);
            }
        }

        var features = new List<(string, ColumnKind)>();
        for (var c = 0; c < table.Columns.Count; c++)
        {
            if (c != labelIndex)
            {
                features.Add((table.Columns[c], categorical.Contains(table.Columns[c]) ? ColumnKind.Categorical : InferKind(table, c)));
            }
        }

        var values = new SortedSet<string>(StringComparer.Ordinal);
        var labelIsNumeric = true;
        var labelIsInteger = true;
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var value = table.Rows[r][labelIndex];
            if (value.Length == 0)
            {
                continue;
            }

            values.Add(value);
            if (TryParseNumber(value, out var number))
            {
                labelIsInteger &= number == Math.Floor(number);
            }
            else
            {
                labelIsNumeric = false;
            }
        }

        if (values.Count < 2)
        {
            throw new CliException($"The label column '{label}' of {table.Source} has {values.Count} distinct value(s); at least two are needed.");
        }

        var chosen = task ?? (values.Count == 2 ? TaskKind.Binary
            : !labelIsNumeric || (labelIsInteger && values.Count <= MaxIntegerClasses) ? TaskKind.Multiclass
            : TaskKind.Regression);
        if (chosen == TaskKind.Binary && values.Count != 2)
        {
            throw new CliException($"--task binary needs a label with exactly two values; '{label}' has {values.Count}: {Preview(values)}.", CliException.UsageError);
        }

        if (chosen == TaskKind.Regression && !labelIsNumeric)
        {
            var bad = FirstNonNumeric(table, labelIndex);
            throw new CliException($"--task regression needs a numeric label; column '{label}' has '{table.Rows[bad][labelIndex]}' at row {CsvTable.FileRow(bad)}.", CliException.UsageError);
        }

        IReadOnlyList<string> classes = chosen == TaskKind.Regression ? [] : [.. OrderClasses(values, labelIsNumeric)];
        return new DatasetSchema(label, chosen, features, classes);
    }

    /// <summary>Parses a number in the invariant culture.</summary>
    public static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Checks that every non-empty field of a numeric column parses.</summary>
    /// <exception cref="CliException">Names the first bad value's row and column.</exception>
    public static void CheckNumeric(CsvTable table, string column)
    {
        var index = table.IndexOf(column);
        var bad = FirstNonNumeric(table, index);
        if (bad >= 0)
        {
            throw new CliException($"{table.Source}, row {CsvTable.FileRow(bad)}, column '{column}': '{table.Rows[bad][index]}' is not a number (leave the field empty for a missing value).");
        }
    }

    private static ColumnKind InferKind(CsvTable table, int column)
    {
        var nonEmpty = 0;
        var nonNumeric = 0;
        foreach (var row in table.Rows)
        {
            if (row[column].Length == 0)
            {
                continue;
            }

            nonEmpty++;
            if (!TryParseNumber(row[column], out _))
            {
                nonNumeric++;
            }
        }

        if (nonNumeric == 0)
        {
            return ColumnKind.Numeric;
        }

        if (nonNumeric >= TypoShare * nonEmpty)
        {
            return ColumnKind.Categorical;
        }

        var bad = FirstNonNumeric(table, column);
        throw new CliException($"{table.Source}, row {CsvTable.FileRow(bad)}, column '{table.Columns[column]}': '{table.Rows[bad][column]}' is not a number, "
            + $"but {nonEmpty - nonNumeric} of the column's {nonEmpty} values are. Fix the value, or leave the field empty for a missing value.");
    }

    private static int FirstNonNumeric(CsvTable table, int column)
    {
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var value = table.Rows[r][column];
            if (value.Length > 0 && !TryParseNumber(value, out _))
            {
                return r;
            }
        }

        return -1;
    }

    private static IEnumerable<string> OrderClasses(SortedSet<string> values, bool numeric) =>
        numeric ? values.OrderBy(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)) : values;

    private static string Preview(IEnumerable<string> values)
    {
        var list = values.Take(11).ToList();
        return list.Count > 10 ? string.Join(", ", list.Take(10)) + ", ..." : string.Join(", ", list);
    }
}
