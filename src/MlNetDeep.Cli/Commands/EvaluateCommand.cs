using System.CommandLine;
using Microsoft.ML;
using MlNetDeep.Cli.Data;
using MlNetDeep.Cli.Reporting;
using Spectre.Console;

namespace MlNetDeep.Cli.Commands;

/// <summary><c>mlnetdeep evaluate</c>: scores a labelled CSV file with a saved model and prints the metrics.</summary>
internal static class EvaluateCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var model = new Option<string>("--model", "-m") { Description = "The model .zip written by mlnetdeep train.", Required = true };
        var dataset = new Option<string>("--dataset", "-d") { Description = "A CSV file with the model's columns, label included.", Required = true };
        var command = new Command("evaluate", "Evaluate a saved model on a labelled CSV file and print the metrics.") { model, dataset };
        command.SetAction(result => CliApp.Guard(console, () => Run(console, result.GetValue(model)!, result.GetValue(dataset)!)));
        return command;
    }

    /// <summary>Evaluates <paramref name="modelPath"/> on <paramref name="datasetPath"/> and returns the metrics.</summary>
    /// <exception cref="CliException">A missing file, a file that is not a model, or data that does not match the model.</exception>
    public static ModelMetrics Run(IAnsiConsole console, string modelPath, string datasetPath)
    {
        var mlContext = new MLContext(seed: 0);
        var model = ModelFile.Load(mlContext, modelPath);
        var table = CsvTable.Load(datasetPath);
        var data = TableLoading.LoadForModel(mlContext, table, model.InputSchema, labelRequired: true, modelPath);
        var scored = model.Model.Transform(data);
        var task = LoadedModelTask.FromOutput(scored.Schema, modelPath);
        var metrics = ModelMetrics.Evaluate(mlContext, scored, task, model.Label);
        metrics.Write(console, $"{Path.GetFileName(datasetPath)} ({table.Rows.Count} rows, {task.ToString().ToLowerInvariant()})");
        return metrics;
    }
}
