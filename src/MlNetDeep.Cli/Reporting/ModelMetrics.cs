using System.Globalization;
using Microsoft.ML;
using MlNetDeep.Training;
using Spectre.Console;

namespace MlNetDeep.Cli.Reporting;

/// <summary>Evaluates a scored data view for its task and shows the metrics as a table.</summary>
internal sealed class ModelMetrics
{
    private ModelMetrics(IReadOnlyList<(string Name, double Value, string Meaning)> rows)
    {
        Rows = rows;
    }

    /// <summary>The metrics: name, value, and what the value means.</summary>
    public IReadOnlyList<(string Name, double Value, string Meaning)> Rows { get; }

    /// <summary>The value of the metric named <paramref name="name"/>.</summary>
    public double this[string name] => Rows.First(r => r.Name == name).Value;

    /// <summary>Evaluates <paramref name="scored"/>, the output of a model trained by <c>mlnetdeep train</c>.</summary>
    public static ModelMetrics Evaluate(MLContext mlContext, IDataView scored, TaskKind task, string label)
    {
        switch (task)
        {
            case TaskKind.Multiclass:
                var multiclass = mlContext.MulticlassClassification.Evaluate(scored, label);
                return new ModelMetrics(
                [
                    ("Accuracy (micro)", multiclass.MicroAccuracy, "share of rows classified correctly"),
                    ("Accuracy (macro)", multiclass.MacroAccuracy, "mean of the per-class accuracies"),
                    ("Log-loss", multiclass.LogLoss, "cross-entropy of the predicted probabilities (lower is better)"),
                ]);
            case TaskKind.Binary:
                var binary = mlContext.BinaryClassification.Evaluate(scored, label);
                return new ModelMetrics(
                [
                    ("Accuracy", binary.Accuracy, "share of rows classified correctly"),
                    ("AUC", binary.AreaUnderRocCurve, "area under the ROC curve"),
                    ("F1", binary.F1Score, "harmonic mean of precision and recall of the positive class"),
                    ("Log-loss", binary.LogLoss, "cross-entropy of the predicted probability (lower is better)"),
                ]);
            default:
                var regression = mlContext.Regression.Evaluate(scored, label);
                return new ModelMetrics(
                [
                    ("RMSE", regression.RootMeanSquaredError, "root mean squared error, in the label's units"),
                    ("MAE", regression.MeanAbsoluteError, "mean absolute error, in the label's units"),
                    ("R²", regression.RSquared, "share of the label's variance explained"),
                ]);
        }
    }

    /// <summary>Writes the metrics as a table.</summary>
    public void Write(IAnsiConsole console, string title)
    {
        var table = new Table().Title(title).AddColumn("Metric").AddColumn(new TableColumn("Value").RightAligned()).AddColumn("Meaning");
        foreach (var (name, value, meaning) in Rows)
        {
            table.AddRow(Markup.Escape(name), value.ToString("0.0000", CultureInfo.InvariantCulture), Markup.Escape(meaning));
        }

        console.Write(table);
    }
}
