using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Cli.Data;
using MlNetDeep.Cli.Reporting;
using MlNetDeep.Training;
using Spectre.Console;

namespace MlNetDeep.Cli.Commands;

/// <summary>
/// <c>mlnetdeep predict</c>: scores a CSV file with a saved model and writes one row per input row: <c>Row</c>
/// (the 1-based data row number), the <c>--id</c> column when given, then <c>PredictedLabel</c> and one
/// <c>Score_{class}</c> probability per class (multiclass), <c>PredictedLabel</c> and <c>Probability</c> (binary:
/// the probability of the second label value in sort order), or <c>Score</c> (regression, on the label's scale).
/// The label column may be absent.
/// </summary>
internal static class PredictCommand
{
    /// <summary>The default predictions file.</summary>
    public const string DefaultOutput = "predictions.csv";

    private const string SlotNamesKind = "SlotNames";

    /// <summary>Creates the verb.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var model = new Option<string>("--model", "-m") { Description = "The model .zip written by mlnetdeep train.", Required = true };
        var dataset = new Option<string>("--dataset", "-d") { Description = "A CSV file with the model's feature columns (the label may be absent).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The predictions CSV file to write.", DefaultValueFactory = _ => DefaultOutput };
        var id = new Option<string?>("--id") { Description = "A column of the input copied into the predictions to identify rows." };
        var command = new Command("predict", "Predict with a saved model on a CSV file and write the predictions as CSV.") { model, dataset, output, id };
        command.SetAction(result => CliApp.Guard(console, () => Run(console, result.GetValue(model)!, result.GetValue(dataset)!, result.GetValue(output)!, result.GetValue(id))));
        return command;
    }

    /// <summary>Writes the predictions of <paramref name="modelPath"/> for <paramref name="datasetPath"/> to <paramref name="outputPath"/>.</summary>
    /// <exception cref="CliException">A missing file, an unknown id column, or data that does not match the model.</exception>
    public static void Run(IAnsiConsole console, string modelPath, string datasetPath, string outputPath, string? idColumn)
    {
        var mlContext = new MLContext(seed: 0);
        var model = ModelFile.Load(mlContext, modelPath);
        var table = CsvTable.Load(datasetPath);
        var idIndex = idColumn is null ? -1 : table.IndexOf(idColumn);
        if (idColumn is not null && idIndex < 0)
        {
            throw new CliException($"The id column '{idColumn}' is not in {datasetPath}. Available columns: {string.Join(", ", table.Columns)}.", CliException.UsageError);
        }

        var data = TableLoading.LoadForModel(mlContext, table, model.InputSchema, labelRequired: false, modelPath);
        var scored = model.Model.Transform(data);
        var task = LoadedModelTask.FromOutput(scored.Schema, modelPath);

        var header = new List<string> { "Row" };
        if (idColumn is not null)
        {
            header.Add(idColumn);
        }

        var columns = ReadPredictions(scored, task, header);
        var text = new StringBuilder();
        text.AppendJoin(',', header.Select(Quote)).Append('\n');
        for (var r = 0; r < table.Rows.Count; r++)
        {
            text.Append((r + 1).ToString(CultureInfo.InvariantCulture));
            if (idIndex >= 0)
            {
                text.Append(',');
                CsvTable.AppendField(text, table.Rows[r][idIndex]);
            }

            foreach (var column in columns)
            {
                text.Append(',');
                CsvTable.AppendField(text, column[r]);
            }

            text.Append('\n');
        }

        var fullPath = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        File.WriteAllText(fullPath, text.ToString());
        console.MarkupLine($"{table.Rows.Count} predictions ({task.ToString().ToLowerInvariant()}) written to [green]{Markup.Escape(fullPath)}[/]");
    }

    private static List<string[]> ReadPredictions(IDataView scored, TaskKind task, List<string> header)
    {
        var columns = new List<string[]>();
        switch (task)
        {
            case TaskKind.Multiclass:
                header.Add("PredictedLabel");
                columns.Add([.. scored.GetColumn<string>("PredictedLabel")]);
                var scores = scored.GetColumn<float[]>("Score").ToArray();
                var names = ClassNames(scored.Schema["Score"]);
                for (var k = 0; k < names.Length; k++)
                {
                    header.Add("Score_" + names[k]);
                    columns.Add([.. scores.Select(s => Format(s[k]))]);
                }

                break;
            case TaskKind.Binary:
                header.Add("PredictedLabel");
                columns.Add(scored.Schema.GetColumnOrNull(ModelTraining.PredictedClassColumn) is null
                    ? [.. scored.GetColumn<bool>("PredictedLabel").Select(b => b ? "true" : "false")]
                    : [.. scored.GetColumn<string>(ModelTraining.PredictedClassColumn)]);
                header.Add("Probability");
                columns.Add([.. scored.GetColumn<float>("Probability").Select(Format)]);
                break;
            default:
                header.Add("Score");
                columns.Add([.. scored.GetColumn<float>("Score").Select(Format)]);
                break;
        }

        return columns;
    }

    private static string[] ClassNames(DataViewSchema.Column score)
    {
        var size = ((VectorDataViewType)score.Type).Size;
        if (score.Annotations.Schema.GetColumnOrNull(SlotNamesKind) is not null)
        {
            var names = default(VBuffer<ReadOnlyMemory<char>>);
            score.Annotations.GetValue(SlotNamesKind, ref names);
            var dense = names.DenseValues().Select(n => n.ToString()).ToArray();
            if (dense.Length == size && dense.All(n => n.Length > 0))
            {
                return dense;
            }
        }

        return [.. Enumerable.Range(0, size).Select(i => i.ToString(CultureInfo.InvariantCulture))];
    }

    private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string value)
    {
        var text = new StringBuilder();
        CsvTable.AppendField(text, value);
        return text.ToString();
    }
}
