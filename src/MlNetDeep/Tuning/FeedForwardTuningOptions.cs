using System.Globalization;

namespace MlNetDeep.Tuning;

/// <summary>
/// What a FeedForward tuning run (<c>mlContext.MulticlassClassification.TuneFeedForward</c> and its binary and
/// regression siblings) searches, how it scores a configuration, and its budget.
/// </summary>
/// <remarks>
/// Every trial trains the task's FeedForward trainer with <see cref="BaseOptions"/> overwritten by the trial's
/// parameters, scores it on held-out rows (<see cref="NumberOfFolds"/>-fold cross-validation, or one split keeping
/// <see cref="ValidationFraction"/> of the rows aside) and reads <see cref="Metric"/>. The same
/// <see cref="Seed"/> (and thread count, and <see cref="MaxConcurrentTrials"/>) gives the same trials; with
/// <see cref="Pruning"/> and more than one trial at a time, which trials are pruned also depends on timing.
/// </remarks>
public sealed class FeedForwardTuningOptions
{
    /// <summary>The label column: a key for multiclass, Boolean for binary, Single for regression.</summary>
    public string LabelColumnName = Defaults.LabelColumnName;

    /// <summary>The feature column: a known-size vector of Single.</summary>
    public string FeatureColumnName = Defaults.FeatureColumnName;

    /// <summary>An optional example weight column (Single), or <see langword="null"/> for unweighted rows.</summary>
    public string? ExampleWeightColumnName;

    /// <summary>The most configurations to try, at least 1.</summary>
    public int MaxTrials = Defaults.MaxTrials;

    /// <summary>
    /// Start no new trial after this many seconds (the final retraining of the best configuration comes on top);
    /// 0 for no time limit.
    /// </summary>
    public double MaxSeconds = Defaults.MaxSeconds;

    /// <summary>
    /// Seeds the search algorithm and the validation split; it also seeds training when the base options'
    /// <c>Seed</c> is <see langword="null"/>.
    /// </summary>
    public int Seed = Defaults.Seed;

    /// <summary>
    /// The metric to optimize, or <see langword="null"/> for the task's default: <c>MicroAccuracy</c> (multiclass),
    /// <c>AreaUnderRocCurve</c> (binary), <c>RootMeanSquaredError</c> (regression). Must belong to the task.
    /// </summary>
    public FeedForwardTuningMetric? Metric;

    /// <summary>
    /// Cross-validation folds per trial (at least 2), or 0 to hold out <see cref="ValidationFraction"/> of the rows
    /// once. Cross-validation costs this many trainings per trial and gives steadier scores on small data.
    /// </summary>
    public int NumberOfFolds = Defaults.NumberOfFolds;

    /// <summary>The fraction of rows held out to score each trial when <see cref="NumberOfFolds"/> is 0, in (0, 1).</summary>
    public double ValidationFraction = Defaults.ValidationFraction;

    /// <summary>How the next configuration is chosen.</summary>
    public FeedForwardSearchAlgorithm SearchAlgorithm = Defaults.SearchAlgorithm;

    /// <summary>
    /// The space to search, with parameter names from <see cref="FeedForwardSearchSpace"/>, or
    /// <see langword="null"/> for the task's default, <see cref="FeedForwardSearchSpace.CreateDefault(Training.TaskKind)"/>
    /// (without its input transform, numeric embedding and ensemble parameters when the rows go into the network
    /// sparse). Options it does not name, and conditional parameters that are inactive in a trial, keep their
    /// <see cref="BaseOptions"/> values.
    /// </summary>
    public SearchSpace? SearchSpace;

    /// <summary>
    /// The trainer options every trial starts from (any FeedForward trainer's <c>Options</c>; its column names are
    /// replaced by the ones above), or <see langword="null"/> for the task trainer's defaults. Fix
    /// <c>NumberOfThreads</c> here for results that repeat across machines (with <see cref="MaxConcurrentTrials"/> above
    /// 1, it is the total the running trials share). Its <c>Progress</c> receives the epochs of every trial and of the
    /// final retraining (from several threads at once when trials run concurrently); cancelling its
    /// <c>CancellationToken</c> stops the whole search, the running trials included, with
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public FeedForwardTrainerOptionsBase? BaseOptions;

    /// <summary>
    /// Whether and how unpromising trials stop early. <c>None</c> (the default) trains every trial to its end;
    /// <c>Median</c> and <c>SuccessiveHalving</c> compare each trial's validation <see cref="Metric"/> after every epoch
    /// with the other trials' values at the same epoch and stop the poor ones (see <see cref="TrialPruning"/>), so more
    /// of the time goes to good configurations.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <b>What a trial reports.</b> After every epoch, the trainer's validation value of <see cref="Metric"/>
    /// (<see cref="TrainingEpoch.ValidationMetric"/>: its accuracy, or its RMSE, squared for <c>MeanSquaredError</c>),
    /// measured on the rows the trainer holds out of the trial's training rows (<c>ValidationFraction</c> of the base
    /// options, which must then be above 0), not on the tuner's held-out rows, which are scored only once the trial has
    /// trained. The epoch record measures only <c>MicroAccuracy</c> (multiclass), <c>Accuracy</c> (binary),
    /// <c>RootMeanSquaredError</c> and <c>MeanSquaredError</c> (regression), so pruning with any other metric is an
    /// error, the binary default <c>AreaUnderRocCurve</c> included: set <see cref="Metric"/> to <c>Accuracy</c> to prune
    /// a binary search. With <see cref="NumberOfFolds"/> of 2 or more, only the first fold's training reports: the folds
    /// train one after another, so a mean over the folds at an epoch would come after every fold had trained, too late
    /// to save anything; a trial pruned during its first fold trains no other fold. With example weights, the
    /// trainer's per-epoch values are weighted and the tuner's final scores are not.
    /// </para>
    /// <para>
    /// <b>A pruned trial</b> stops training at once, inside the epoch's progress call (no model is kept and no later
    /// fold trains), and is recorded in the result's <c>Trials</c> with <see cref="Trial.PrunedAtStep"/> the last epoch
    /// it trained and <see cref="Trial.Value"/> the best per-epoch value it reported. It is never the result's
    /// <c>BestTrial</c>, even when that value beats every completed trial's score.
    /// </para>
    /// <para>
    /// <b>What the Bayesian model learns from it.</b> The optimizer is told the pruned trial's best reported value as if
    /// it were its result. That value is a pessimistic bound on the best per-epoch value the trial would have reported
    /// had it trained on (more epochs can only equal or beat a best so far), so the model learns "no better than this
    /// here" and never sees the configuration as better than it was. It is not a bound on the score the trial would
    /// have been given: that score comes from the tuner's held-out rows (or out-of-fold predictions) rather than the
    /// trainer's validation rows, and from the epoch the trainer keeps, chosen by the validation loss unless the base
    /// options' <c>EarlyStoppingMonitor</c> is <c>ValidationMetric</c>, which can score below the best epoch. The two
    /// differ by the sampling noise of the trainer's validation rows, more so on small data.
    /// </para>
    /// <para>
    /// <b>Why <c>None</c> is the default.</b> Pruning trades a risk of stopping a slow starter (a low learning rate, a
    /// deep network) for time: <c>SuccessiveHalving</c> judges trials after their first epoch, and its early
    /// comparisons are noisy on small data. On letter (20 trials, two seeds) it matched the test accuracy of
    /// <c>None</c> in 11 % and 38 % of the time, though it stopped after one epoch configurations that scored 0.95 to
    /// 0.96 in validation accuracy when trained to the end; that is too little evidence to change every search, and a
    /// pruning default would also make the binary default metric, <c>AreaUnderRocCurve</c>, an error. The README's
    /// tuning section gives the figures.
    /// </para>
    /// </remarks>
    public TrialPruning Pruning = Defaults.Pruning;

    /// <summary>
    /// The most trials that train at once, at least 1. Above 1, the trials run side by side, each on its own thread,
    /// and each trial's trainer gets <c>max(1, threads / MaxConcurrentTrials)</c> threads, where threads is the base
    /// options' <c>NumberOfThreads</c> or, when that is <see langword="null"/>, <see cref="Environment.ProcessorCount"/>;
    /// the final retraining of the best configuration uses all of them.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <b>Proposals.</b> The first <c>MaxConcurrentTrials</c> configurations come from one batch proposal of the search
    /// algorithm (the Bayesian one spreads a batch by pretending each chosen point returned the model's prediction).
    /// After that, each time the oldest running trial ends it is recorded, and the next configuration is proposed with
    /// the trials still running as pending points. Trials are recorded, logged and passed to <see cref="Progress"/> in
    /// the order they started, on the thread that called <c>TuneFeedForward</c>; a trial that ends before an older one
    /// waits for it, so a slow trial can leave a thread idle for a while.
    /// </para>
    /// <para>
    /// <b>Determinism.</b> For a given <see cref="Seed"/> and <c>MaxConcurrentTrials</c> on one machine, with
    /// deterministic trainers (the base options' <c>Seed</c>, or this <see cref="Seed"/> when that is null, and a fixed
    /// thread count), every trial's configuration and value, the best trial and its model are the same on every run,
    /// whichever trial ends first. Not deterministic: the results differ between values of <c>MaxConcurrentTrials</c>
    /// (later proposals know fewer results, and each trial trains with its share of the threads, which changes its
    /// model); with <see cref="Pruning"/> other than <c>None</c>, which trials are pruned, and when, depends on how the
    /// running trials' epochs interleave in time, and the later proposals with it; <see cref="MaxSeconds"/> and
    /// <see cref="CancellationToken"/> stop at a time-dependent trial, as with one trial at a time; and the trials'
    /// durations.
    /// </para>
    /// <para>
    /// <b>Threads.</b> The base options' <c>Progress</c> is called from the threads of all the running trials at once,
    /// so it must be thread-safe. The trials share the <c>MLContext</c>, whose log receives their messages interleaved.
    /// The trainers share one process-wide pool of worker threads, which serves one parallel kernel call at a time: a
    /// trial whose call finds the pool busy runs that call on its own thread alone. Trials of one thread each
    /// (<c>MaxConcurrentTrials</c> equal to the thread count) never wait for the pool.
    /// </para>
    /// </remarks>
    public int MaxConcurrentTrials = Defaults.MaxConcurrentTrials;

    /// <summary>
    /// Called after every trial (failed and pruned ones included), in addition to the log messages on
    /// <c>mlContext.Log</c>; on the calling thread, in the order the trials started, also when
    /// <see cref="MaxConcurrentTrials"/> is above 1.
    /// </summary>
    public Action<Trial>? Progress;

    /// <summary>Start no new trial once signalled; the best configuration so far is then retrained and returned.</summary>
    public CancellationToken CancellationToken;

    /// <summary>Checks every value, naming the first bad one and the value received.</summary>
    internal void Validate()
    {
        CheckColumn(LabelColumnName, nameof(LabelColumnName));
        CheckColumn(FeatureColumnName, nameof(FeatureColumnName));
        if (ExampleWeightColumnName is { Length: 0 })
        {
            throw new ArgumentException($"{nameof(ExampleWeightColumnName)} must be null or a column name. Received: an empty string.", "options");
        }

        if (MaxTrials < 1)
        {
            throw Invalid(nameof(MaxTrials), "must be at least 1", MaxTrials);
        }

        if (!double.IsFinite(MaxSeconds) || MaxSeconds < 0)
        {
            throw Invalid(nameof(MaxSeconds), "must be 0 (no limit) or a positive number of seconds", MaxSeconds);
        }

        if (NumberOfFolds is 1 or < 0)
        {
            throw Invalid(nameof(NumberOfFolds), "must be 0 (hold-out validation) or at least 2", NumberOfFolds);
        }

        if (NumberOfFolds == 0 && !(ValidationFraction > 0 && ValidationFraction < 1))
        {
            throw Invalid(nameof(ValidationFraction), "must be in (0, 1) when NumberOfFolds is 0", ValidationFraction);
        }

        if (!Enum.IsDefined(SearchAlgorithm))
        {
            throw Invalid(nameof(SearchAlgorithm), "must be Bayesian or Random", SearchAlgorithm);
        }

        if (!Enum.IsDefined(Pruning))
        {
            throw Invalid(nameof(Pruning), "must be None, Median or SuccessiveHalving", Pruning);
        }

        if (MaxConcurrentTrials < 1)
        {
            throw Invalid(nameof(MaxConcurrentTrials), "must be at least 1", MaxConcurrentTrials);
        }

        if (Metric is { } metric && !Enum.IsDefined(metric))
        {
            throw Invalid(nameof(Metric), "must be a FeedForwardTuningMetric value", metric);
        }
    }

    private static void CheckColumn(string name, string option)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"{option} must name a column. Received: '{name}'.", "options");
        }
    }

    private static ArgumentOutOfRangeException Invalid(string option, string rule, object value) =>
        new("options", value, string.Create(CultureInfo.InvariantCulture, $"{option} {rule}. Received: {option}={value}."));

    /// <summary>The default values of <see cref="FeedForwardTuningOptions"/>.</summary>
    public static class Defaults
    {
        /// <summary>The default <see cref="LabelColumnName"/>.</summary>
        public const string LabelColumnName = "Label";

        /// <summary>The default <see cref="FeatureColumnName"/>.</summary>
        public const string FeatureColumnName = "Features";

        /// <summary>The default <see cref="MaxTrials"/>.</summary>
        public const int MaxTrials = 30;

        /// <summary>The default <see cref="MaxSeconds"/>: no time limit.</summary>
        public const double MaxSeconds = 0;

        /// <summary>The default <see cref="Seed"/>.</summary>
        public const int Seed = 0;

        /// <summary>The default <see cref="NumberOfFolds"/>: hold-out validation.</summary>
        public const int NumberOfFolds = 0;

        /// <summary>The default <see cref="ValidationFraction"/>.</summary>
        public const double ValidationFraction = 0.2;

        /// <summary>The default <see cref="SearchAlgorithm"/>.</summary>
        public const FeedForwardSearchAlgorithm SearchAlgorithm = FeedForwardSearchAlgorithm.Bayesian;

        /// <summary>The default <see cref="Pruning"/>: none, every trial trains to its end.</summary>
        public const TrialPruning Pruning = TrialPruning.None;

        /// <summary>The default <see cref="MaxConcurrentTrials"/>: one trial at a time.</summary>
        public const int MaxConcurrentTrials = 1;
    }
}
