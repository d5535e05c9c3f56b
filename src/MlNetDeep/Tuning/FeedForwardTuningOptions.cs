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
/// <see cref="Seed"/> (and thread count) gives the same trials.
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
    /// <see langword="null"/> for <see cref="FeedForwardSearchSpace.CreateDefault"/>. Options it does not name keep
    /// their <see cref="BaseOptions"/> values.
    /// </summary>
    public SearchSpace? SearchSpace;

    /// <summary>
    /// The trainer options every trial starts from (any FeedForward trainer's <c>Options</c>; its column names are
    /// replaced by the ones above), or <see langword="null"/> for the task trainer's defaults. Fix
    /// <c>NumberOfThreads</c> here for results that repeat across machines. Its <c>Progress</c> receives the epochs of
    /// every trial and of the final retraining; cancelling its <c>CancellationToken</c> stops the whole search, the
    /// running trial included, with <see cref="OperationCanceledException"/>.
    /// </summary>
    public FeedForwardTrainerOptionsBase? BaseOptions;

    /// <summary>Called after every trial (failed ones included), in addition to the log messages on <c>mlContext.Log</c>.</summary>
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
    }
}
