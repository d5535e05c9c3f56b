using MlNetDeep.Training;
using ScottPlot;

namespace MlNetDeep.Cli.Reporting;

/// <summary>
/// Draws a learning curve: training and validation loss per epoch on the left axis, and the validation metric
/// (accuracy, or RMSE for regression) on the right axis, and a dotted line at the epoch whose weights the model kept.
/// </summary>
internal static class LearningCurvePlot
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 900;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 500;

    /// <summary>Writes the plot of <paramref name="history"/> as a PNG file.</summary>
    /// <exception cref="CliException">The history is empty.</exception>
    /// <param name="history">The epochs.</param>
    /// <param name="task">The task, which names the metric.</param>
    /// <param name="path">The PNG file.</param>
    /// <param name="bestEpoch">The epoch whose weights the model kept (early stopping), or null.</param>
    public static void Save(IReadOnlyList<TrainingEpoch> history, TaskKind task, string path, int? bestEpoch = null)
    {
        if (history.Count == 0)
        {
            throw new CliException("The model has no training history to plot.");
        }

        var plot = new Plot();
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        var training = plot.Add.Scatter(epochs, history.Select(h => h.TrainingLoss).ToArray());
        training.LegendText = "training loss";
        training.MarkerSize = history.Count == 1 ? 5 : 0;

        var validated = history.Where(h => h.ValidationLoss is not null).ToArray();
        if (validated.Length > 0)
        {
            var validation = plot.Add.Scatter(validated.Select(h => (double)h.Epoch).ToArray(), validated.Select(h => h.ValidationLoss!.Value).ToArray());
            validation.LegendText = "validation loss";
            validation.MarkerSize = training.MarkerSize;
        }

        var measured = history.Where(h => h.ValidationMetric is not null).ToArray();
        var metricName = task == TaskKind.Regression ? "validation RMSE" : "validation accuracy";
        if (measured.Length > 0)
        {
            var metric = plot.Add.Scatter(measured.Select(h => (double)h.Epoch).ToArray(), measured.Select(h => h.ValidationMetric!.Value).ToArray());
            metric.LegendText = metricName + " (right axis)";
            metric.LinePattern = LinePattern.Dashed;
            metric.MarkerSize = training.MarkerSize;
            metric.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = metricName;
        }

        if (bestEpoch is { } best)
        {
            var kept = plot.Add.VerticalLine(best);
            kept.LegendText = $"weights kept (epoch {best})";
            kept.LinePattern = LinePattern.Dotted;
            kept.Color = Colors.Gray;
        }

        plot.Title("Learning curve");
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.ShowLegend(Edge.Bottom);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        plot.SavePng(path, Width, Height);
    }
}
