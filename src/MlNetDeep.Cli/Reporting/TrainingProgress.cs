using System.Globalization;
using Spectre.Console;

namespace MlNetDeep.Cli.Reporting;

/// <summary>
/// Shows training as it happens: on an interactive terminal a live progress bar (epoch, loss, validation
/// metric, time left); otherwise (redirected output, tests) one line per epoch.
/// </summary>
internal static class TrainingProgress
{
    /// <summary>
    /// Runs <paramref name="train"/>, which calls the callback it is given once per finished epoch, and shows the progress.
    /// </summary>
    /// <typeparam name="T">What training returns.</typeparam>
    /// <param name="console">Where to show progress.</param>
    /// <param name="maxEpochs">The epoch budget (training may stop earlier).</param>
    /// <param name="metricName">The validation metric's name ("accuracy" or "RMSE").</param>
    /// <param name="train">The training run.</param>
    public static T Run<T>(IAnsiConsole console, int maxEpochs, string metricName, Func<Action<EpochPoint>, T> train)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            return train(point => console.MarkupLine(Markup.Escape(Describe(point, maxEpochs, metricName))));
        }

        T result = default!;
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"epoch 0/{maxEpochs}", maxValue: maxEpochs);
                result = train(point =>
                {
                    task.Description = Markup.Escape(Describe(point, maxEpochs, metricName));
                    task.Value = point.Epoch;
                });
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>The one-line summary of an epoch.</summary>
    public static string Describe(EpochPoint point, int maxEpochs, string metricName)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"epoch {point.Epoch}/{maxEpochs}  loss {point.TrainingLoss:0.0000}");
        if (point.ValidationLoss is { } validationLoss)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  val loss {validationLoss:0.0000}");
        }

        if (point.ValidationMetric is { } metric)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  val {metricName} {metric:0.0000}");
        }

        return text + string.Create(CultureInfo.InvariantCulture, $"  {point.ElapsedSeconds:0.0}s");
    }
}
