namespace MlNetDeep.Tuning;

/// <summary>
/// What a FeedForward tuning run found: the best trainer options, the model they give when trained on all the
/// training data, their validation metrics, and every trial in the order it ran.
/// </summary>
/// <typeparam name="TOptions">The task trainer's <c>Options</c> type.</typeparam>
/// <typeparam name="TTransformer">The ML.NET prediction transformer the task trainer fits.</typeparam>
/// <typeparam name="TMetrics">The ML.NET metrics type of the task.</typeparam>
public sealed class FeedForwardTuningResult<TOptions, TTransformer, TMetrics>
    where TOptions : FeedForwardTrainerOptionsBase
    where TTransformer : class
    where TMetrics : class
{
    internal FeedForwardTuningResult(TOptions bestOptions, TTransformer bestModel, TMetrics bestMetrics, Trial bestTrial, FeedForwardTuningMetric metric, IReadOnlyList<Trial> trials, StopReason stopReason, TimeSpan elapsed)
    {
        BestOptions = bestOptions;
        BestModel = bestModel;
        BestMetrics = bestMetrics;
        BestTrial = bestTrial;
        Metric = metric;
        Trials = trials;
        StopReason = stopReason;
        Elapsed = elapsed;
    }

    /// <summary>The trainer options of the best trial: the base options with the trial's parameters written in.</summary>
    public TOptions BestOptions { get; }

    /// <summary>The model trained on all the training data with <see cref="BestOptions"/>.</summary>
    public TTransformer BestModel { get; }

    /// <summary>
    /// The validation metrics of the best trial: on the held-out rows, or with cross-validation on the out-of-fold
    /// predictions of every training row.
    /// </summary>
    public TMetrics BestMetrics { get; }

    /// <summary>The best successful trial that trained to its end (never a pruned one); its <see cref="Trial.Value"/> is <see cref="Metric"/>'s value.</summary>
    public Trial BestTrial { get; }

    /// <summary>The metric that was optimized.</summary>
    public FeedForwardTuningMetric Metric { get; }

    /// <summary>
    /// Every trial in the order it started: its parameters, the metric's value (<see cref="double.NaN"/> when it failed),
    /// its duration and why it failed, if it did. A pruned trial has <see cref="Trial.PrunedAtStep"/>, the last epoch it
    /// trained, and as its value the best per-epoch value it reported (see <see cref="FeedForwardTuningOptions.Pruning"/>).
    /// </summary>
    public IReadOnlyList<Trial> Trials { get; }

    /// <summary>Why the search ended: all trials ran, the time ran out, or it was cancelled.</summary>
    public StopReason StopReason { get; }

    /// <summary>The wall-clock time of the search and of the final retraining.</summary>
    public TimeSpan Elapsed { get; }
}
