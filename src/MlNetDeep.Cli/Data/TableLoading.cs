using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Cli.Data;

/// <summary>
/// Turns a validated <see cref="CsvTable"/> into an ML.NET <see cref="IDataView"/>. The label is always the
/// first column of the loaded data, so a saved model's input schema starts with it: <c>evaluate</c> and
/// <c>predict</c> read the label's name from there.
/// </summary>
internal static class TableLoading
{
    /// <summary>Loads a training table: the label (text for classification, <c>Single</c> for regression), then the features.</summary>
    public static IDataView LoadForTraining(MLContext mlContext, CsvTable table, DatasetSchema schema)
    {
        var columns = new List<(string Name, DataKind Kind)>
        {
            (schema.Label, schema.Task == TaskKind.Regression ? DataKind.Single : DataKind.String),
        };
        foreach (var (name, kind) in schema.Features)
        {
            if (kind == ColumnKind.Numeric)
            {
                DatasetSchema.CheckNumeric(table, name);
            }

            columns.Add((name, kind == ColumnKind.Numeric ? DataKind.Single : DataKind.String));
        }

        if (schema.Task == TaskKind.Regression)
        {
            DatasetSchema.CheckNumeric(table, schema.Label);
        }

        return Load(mlContext, table, columns, columns.Select(c => (string?)c.Name).ToList());
    }

    /// <summary>
    /// Loads a table for a saved model whose input schema is <paramref name="modelInput"/>: every column the
    /// model expects must be in the file with values of the right type, except the label (the first column)
    /// when <paramref name="labelRequired"/> is false.
    /// </summary>
    /// <exception cref="CliException">A column is missing or a numeric column holds a non-numeric value.</exception>
    public static IDataView LoadForModel(MLContext mlContext, CsvTable table, DataViewSchema modelInput, bool labelRequired, string modelPath)
    {
        var columns = new List<(string Name, DataKind Kind)>();
        var sources = new List<string?>();
        var missing = new List<string>();
        foreach (var column in modelInput)
        {
            DataKind kind;
            if (column.Type == NumberDataViewType.Single)
            {
                kind = DataKind.Single;
            }
            else if (column.Type is TextDataViewType)
            {
                kind = DataKind.String;
            }
            else
            {
                throw new CliException($"The model '{modelPath}' expects the column '{column.Name}' of type {column.Type}, which CSV input cannot provide: was it trained with mlnetdeep train?");
            }

            columns.Add((column.Name, kind));
            if (table.IndexOf(column.Name) >= 0)
            {
                if (kind == DataKind.Single)
                {
                    DatasetSchema.CheckNumeric(table, column.Name);
                }

                sources.Add(column.Name);
            }
            else if (column.Index == 0 && !labelRequired)
            {
                sources.Add(null);
            }
            else
            {
                missing.Add($"'{column.Name}' ({(kind == DataKind.Single ? "numeric" : "text")})");
                sources.Add(null);
            }
        }

        if (missing.Count > 0)
        {
            throw new CliException($"{table.Source} does not match the schema of the model '{modelPath}': missing column(s) {string.Join(", ", missing)}. "
                + $"The file has: {string.Join(", ", table.Columns)}.");
        }

        return Load(mlContext, table, columns, sources);
    }

    private static IDataView Load(MLContext mlContext, CsvTable table, List<(string Name, DataKind Kind)> columns, List<string?> sources)
    {
        var loader = mlContext.Data.CreateTextLoader(new TextLoader.Options
        {
            Separators = [','],
            HasHeader = false,
            AllowQuoting = true,
            MissingRealsAsNaNs = true,
            Columns = [.. columns.Select((c, i) => new TextLoader.Column(c.Name, c.Kind, i))],
        });
        return loader.Load(new TextSource(table.ToText(sources)));
    }
}
