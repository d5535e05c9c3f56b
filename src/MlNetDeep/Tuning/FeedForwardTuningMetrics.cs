using Microsoft.ML.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Tuning;

/// <summary>
/// The registry of <see cref="FeedForwardTuningMetric"/> values: the task each belongs to, its direction, how to
/// read it from ML.NET's metrics object and, for the few the trainers measure after every epoch, from an epoch's record.
/// </summary>
internal static class FeedForwardTuningMetrics
{
    private static readonly Dictionary<FeedForwardTuningMetric, MetricInfo> Registry = new()
    {
        [FeedForwardTuningMetric.MicroAccuracy] = Multiclass(true, m => m.MicroAccuracy, e => e.ValidationMetric),
        [FeedForwardTuningMetric.MacroAccuracy] = Multiclass(true, m => m.MacroAccuracy),
        [FeedForwardTuningMetric.LogLossReduction] = Multiclass(true, m => m.LogLossReduction),
        [FeedForwardTuningMetric.Accuracy] = Binary(true, m => m.Accuracy, e => e.ValidationMetric),
        [FeedForwardTuningMetric.AreaUnderRocCurve] = Binary(true, m => m.AreaUnderRocCurve),
        [FeedForwardTuningMetric.AreaUnderPrecisionRecallCurve] = Binary(true, m => m.AreaUnderPrecisionRecallCurve),
        [FeedForwardTuningMetric.F1Score] = Binary(true, m => m.F1Score),
        [FeedForwardTuningMetric.RootMeanSquaredError] = Regression(false, m => m.RootMeanSquaredError, e => e.ValidationMetric),
        [FeedForwardTuningMetric.MeanAbsoluteError] = Regression(false, m => m.MeanAbsoluteError),
        [FeedForwardTuningMetric.MeanSquaredError] = Regression(false, m => m.MeanSquaredError, e => e.ValidationMetric * e.ValidationMetric),
        [FeedForwardTuningMetric.RSquared] = Regression(true, m => m.RSquared),
    };

    /// <summary>The metric a task optimizes when none is given.</summary>
    public static FeedForwardTuningMetric Default(TaskKind task) => task switch
    {
        TaskKind.Multiclass => FeedForwardTuningMetric.MicroAccuracy,
        TaskKind.Binary => FeedForwardTuningMetric.AreaUnderRocCurve,
        _ => FeedForwardTuningMetric.RootMeanSquaredError,
    };

    /// <summary>Whether <paramref name="metric"/> applies to <paramref name="task"/>.</summary>
    public static bool AppliesTo(FeedForwardTuningMetric metric, TaskKind task) =>
        metric == FeedForwardTuningMetric.LogLoss
            ? task is TaskKind.Multiclass or TaskKind.Binary
            : Registry.TryGetValue(metric, out var info) && info.Task == task;

    /// <summary>The metrics <paramref name="task"/> accepts, for error messages.</summary>
    public static IEnumerable<FeedForwardTuningMetric> For(TaskKind task) => Enum.GetValues<FeedForwardTuningMetric>().Where(m => AppliesTo(m, task));

    /// <summary>Whether a higher value of <paramref name="metric"/> is better.</summary>
    public static bool IsMaximized(FeedForwardTuningMetric metric) =>
        metric != FeedForwardTuningMetric.LogLoss && Registry[metric].Maximize;

    /// <summary>Reads <paramref name="metric"/> from an ML.NET metrics object of the metric's task.</summary>
    /// <exception cref="InvalidOperationException">Binary log-loss was asked for but the metrics are not calibrated.</exception>
    public static double Read(FeedForwardTuningMetric metric, object metrics) => metric switch
    {
        FeedForwardTuningMetric.LogLoss => metrics switch
        {
            MulticlassClassificationMetrics multiclass => multiclass.LogLoss,
            CalibratedBinaryClassificationMetrics binary => binary.LogLoss,
            _ => throw new InvalidOperationException($"LogLoss needs probabilities; the model's output has no Probability column. Received metrics: {metrics.GetType().Name}."),
        },
        _ => Registry[metric].Read(metrics),
    };

    /// <summary>
    /// How to read <paramref name="metric"/> from the record of one training epoch (its value on the trainer's
    /// validation rows), or null when the record does not measure it: only the accuracy of classification and the
    /// (root) mean squared error of regression are measured after every epoch.
    /// </summary>
    public static Func<TrainingEpoch, double?>? EpochReading(FeedForwardTuningMetric metric) =>
        Registry.TryGetValue(metric, out var info) ? info.ReadEpoch : null;

    /// <summary>The metrics of <paramref name="task"/> that <see cref="EpochReading"/> can read, for error messages.</summary>
    public static IEnumerable<FeedForwardTuningMetric> PerEpoch(TaskKind task) => For(task).Where(m => EpochReading(m) is not null);

    private static MetricInfo Multiclass(bool maximize, Func<MulticlassClassificationMetrics, double> read, Func<TrainingEpoch, double?>? readEpoch = null) =>
        new(TaskKind.Multiclass, maximize, m => read((MulticlassClassificationMetrics)m), readEpoch);

    private static MetricInfo Binary(bool maximize, Func<BinaryClassificationMetrics, double> read, Func<TrainingEpoch, double?>? readEpoch = null) =>
        new(TaskKind.Binary, maximize, m => read((BinaryClassificationMetrics)m), readEpoch);

    private static MetricInfo Regression(bool maximize, Func<RegressionMetrics, double> read, Func<TrainingEpoch, double?>? readEpoch = null) =>
        new(TaskKind.Regression, maximize, m => read((RegressionMetrics)m), readEpoch);

    private sealed record MetricInfo(TaskKind Task, bool Maximize, Func<object, double> Read, Func<TrainingEpoch, double?>? ReadEpoch);
}
