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
    /// Runs <paramref name="train"/>, which reports every finished epoch to the progress it is given (on the training
    /// thread, as the trainers' <see cref="FeedForwardTrainerOptionsBase.Progress"/> does), and shows the progress.
    /// </summary>
    /// <typeparam name="T">What training returns.</typeparam>
    /// <param name="console">Where to show progress.</param>
    /// <param name="maxEpochs">The epoch budget (training may stop earlier).</param>
    /// <param name="metricName">The validation metric's name ("accuracy" or "RMSE").</param>
    /// <param name="train">The training run.</param>
    public static T Run<T>(IAnsiConsole console, int maxEpochs, string metricName, Func<IProgress<TrainingEpoch>, T> train)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            return train(new EpochProgress(epoch => console.MarkupLine(Markup.Escape(Describe(epoch, maxEpochs, metricName)))));
        }

        T result = default!;
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask($"epoch 0/{maxEpochs}", maxValue: maxEpochs);
                result = train(new EpochProgress(epoch =>
                {
                    task.Description = Markup.Escape(Describe(epoch, maxEpochs, metricName));
                    task.Value = epoch.Epoch;
                }));
                task.Value = task.MaxValue;
            });
        return result;
    }

    /// <summary>The one-line summary of an epoch.</summary>
    public static string Describe(TrainingEpoch point, int maxEpochs, string metricName)
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

    /// <summary>
    /// Calls its handler at once, on the reporting thread (unlike <see cref="Progress{T}"/>, which posts to the
    /// thread pool, so lines could come out of order or after training returned).
    /// </summary>
    private sealed class EpochProgress(Action<TrainingEpoch> handler) : IProgress<TrainingEpoch>
    {
        public void Report(TrainingEpoch value) => handler(value);
    }
}
