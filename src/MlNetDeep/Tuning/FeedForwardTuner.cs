using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetDeep.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Tuning;

/// <summary>
/// Runs a FeedForward tuning search for one task: builds the trainer options of each trial from the base options
/// and the trial's parameters, scores them on held-out rows, logs every trial, and retrains the best options on
/// all the data. Trials may run several at once (<see cref="FeedForwardTuningOptions.MaxConcurrentTrials"/>) and stop
/// early (<see cref="FeedForwardTuningOptions.Pruning"/>: the first split's trainer reports its per-epoch validation
/// metric through <see cref="TrialPruningProgress"/>). The catalog extensions in <c>FeedForwardTuningCatalog</c> create
/// one per call. Cancelling the environment (<c>MLContext.CancelExecution</c>) or the base options'
/// <c>CancellationToken</c> stops the search, the running trials included, with
/// <see cref="OperationCanceledException"/>; the tuning options' own <c>CancellationToken</c> lets the running trials
/// finish and keeps the best configuration so far.
/// </summary>
/// <typeparam name="TOptions">The task trainer's options.</typeparam>
/// <typeparam name="TTransformer">The transformer the task trainer fits.</typeparam>
/// <typeparam name="TMetrics">The task's ML.NET metrics.</typeparam>
internal sealed class FeedForwardTuner<TOptions, TTransformer, TMetrics>
    where TOptions : FeedForwardTrainerOptionsBase, new()
    where TTransformer : class, ITransformer
    where TMetrics : class
{
    private readonly IHostEnvironment _environment;
    private readonly TaskKind _task;
    private readonly Func<TOptions, IEstimator<TTransformer>> _createTrainer;
    private readonly Func<IDataView, string, TMetrics> _evaluate;

    /// <summary>Creates a tuner for <paramref name="task"/>.</summary>
    /// <param name="environment">Where progress is logged (the <c>MLContext</c>'s environment).</param>
    /// <param name="task">The task, which decides the accepted metrics.</param>
    /// <param name="createTrainer">Creates the task trainer from options.</param>
    /// <param name="evaluate">Evaluates scored data given the label column name.</param>
    public FeedForwardTuner(IHostEnvironment environment, TaskKind task, Func<TOptions, IEstimator<TTransformer>> createTrainer, Func<IDataView, string, TMetrics> evaluate)
    {
        _environment = environment;
        _task = task;
        _createTrainer = createTrainer;
        _evaluate = evaluate;
    }

    /// <summary>Searches, then retrains the best configuration on all of <paramref name="trainData"/>.</summary>
    /// <exception cref="ArgumentException">An option, a base trainer option, the search space or a column is invalid.</exception>
    /// <exception cref="InvalidOperationException">Every trial failed; the message gives the first failures.</exception>
    /// <exception cref="OperationCanceledException">The environment or the base options' cancellation token was cancelled.</exception>
    public FeedForwardTuningResult<TOptions, TTransformer, TMetrics> Tune(IDataView trainData, FeedForwardTuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var metric = options.Metric ?? FeedForwardTuningMetrics.Default(_task);
        if (!FeedForwardTuningMetrics.AppliesTo(metric, _task))
        {
            throw new ArgumentException($"Metric {metric} does not apply to {_task}; use one of {string.Join(", ", FeedForwardTuningMetrics.For(_task))}. Received: Metric={metric}.", nameof(options));
        }

        CheckColumn(trainData, options.LabelColumnName, nameof(options.LabelColumnName));
        CheckColumn(trainData, options.FeatureColumnName, nameof(options.FeatureColumnName));
        if (options.ExampleWeightColumnName is { } weightColumn)
        {
            CheckColumn(trainData, weightColumn, nameof(options.ExampleWeightColumnName));
        }

        var baseOptions = CreateOptions(options, null);
        var space = options.SearchSpace ?? DefaultSpace(trainData, baseOptions);
        FeedForwardSearchSpace.Validate(space);
        _createTrainer(baseOptions);
        var readEpoch = PruningReading(options, metric, baseOptions);

        var clock = Stopwatch.StartNew();
        var splits = Split(trainData, options);
        HyperparameterOptimizer optimizer = options.SearchAlgorithm == FeedForwardSearchAlgorithm.Random
            ? new RandomSearchOptimizer(space, options.Seed)
            : new BayesianOptimizer(space, options.Seed);
        var maximize = FeedForwardTuningMetrics.IsMaximized(metric);
        var host = _environment.Register("FeedForwardTuner");
        host.CheckAlive();
        using var channel = host.Start("Tuning");
        var concurrency = options.MaxConcurrentTrials == 1 ? string.Empty : Format($", {options.MaxConcurrentTrials} at a time with {TrialThreads(baseOptions, options.MaxConcurrentTrials)} threads each");
        var pruning = options.Pruning == TrialPruning.None ? string.Empty : Format($", {options.Pruning} pruning on the trainer's per-epoch validation {metric}");
        channel.Info(Format($"Tuning {_task}: {options.MaxTrials} trials of {options.SearchAlgorithm} search{concurrency}, {(maximize ? "maximizing" : "minimizing")} {metric} on {(options.NumberOfFolds >= 2 ? $"{options.NumberOfFolds}-fold cross-validation" : $"a {options.ValidationFraction:P0} hold-out")}{pruning}, seed {options.Seed}."));

        // A trial's training stops with OperationCanceledException when the environment or the base options' token is
        // cancelled. The optimizer records any exception as a failed trial, so the first one is kept, the search stopped
        // through the linked token, and the exception rethrown once the optimizer returns. Trials may run on several
        // threads at once: each writes only its own slot of metricsByTrial.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        OperationCanceledException? cancelled = null;
        var metricsByTrial = new TMetrics?[options.MaxTrials];
        double Objective(ParameterSet parameters, TrialReporter reporter)
        {
            try
            {
                host.CheckAlive();
                var trialOptions = CreateOptions(options, parameters, options.MaxConcurrentTrials);
                var firstFold = readEpoch is null ? null : new TrialPruningProgress(reporter, readEpoch, trialOptions.Progress);
                var metrics = Score(splits, trialOptions, options.LabelColumnName, firstFold);
                metricsByTrial[reporter.TrialIndex] = metrics;
                return FeedForwardTuningMetrics.Read(metric, metrics);
            }
            catch (TrialPrunedException)
            {
                // The optimizer records the trial as pruned, with its best reported value; what is returned is ignored.
                return double.NaN;
            }
            catch (OperationCanceledException exception)
            {
                Interlocked.CompareExchange(ref cancelled, exception, null);
                stop.Cancel();
                throw;
            }
        }

        Trial? best = null;
        void Progress(Trial trial)
        {
            if (Volatile.Read(ref cancelled) is not null)
            {
                return;
            }

            if (trial.Pruned)
            {
                channel.Info(Format($"Trial {trial.Index + 1}/{options.MaxTrials} pruned after epoch {trial.PrunedAtStep} in {trial.Duration.TotalSeconds:F1} s: best {metric} {trial.Value:G6} on the trainer's validation rows; {trial.Parameters}."));
            }
            else if (trial.Succeeded)
            {
                if (best is null || (maximize ? trial.Value > best.Value : trial.Value < best.Value))
                {
                    best = trial;
                }

                channel.Info(Format($"Trial {trial.Index + 1}/{options.MaxTrials}: {metric} {trial.Value:G6} in {trial.Duration.TotalSeconds:F1} s (best {best.Value:G6}, trial {best.Index + 1}); {trial.Parameters}."));
            }
            else
            {
                channel.Warning(Format($"Trial {trial.Index + 1}/{options.MaxTrials} failed after {trial.Duration.TotalSeconds:F1} s: {trial.Failure} Parameters: {trial.Parameters}."));
            }

            options.Progress?.Invoke(trial);
        }

        TimeSpan? maxDuration = options.MaxSeconds > 0 ? TimeSpan.FromSeconds(options.MaxSeconds) : null;
        var pruner = TrialPruner.Create(options.Pruning);
        var result = maximize
            ? optimizer.Maximize(Objective, pruner, options.MaxTrials, options.MaxConcurrentTrials, maxDuration, Progress, stop.Token)
            : optimizer.Minimize(Objective, pruner, options.MaxTrials, options.MaxConcurrentTrials, maxDuration, Progress, stop.Token);
        if (cancelled is not null)
        {
            ExceptionDispatchInfo.Throw(cancelled);
        }

        host.CheckAlive();
        if (best is null)
        {
            var failures = string.Join(" | ", result.Trials.Where(t => !t.Succeeded).Take(3).Select(t => t.Failure));
            var pruned = result.Trials.Count(t => t.Pruned);
            throw new InvalidOperationException(Format($"No trial of {_task} tuning succeeded ({result.Trials.Count} ran, {pruned} of them pruned, stopped by {result.StopReason}); first failures: {failures}"));
        }

        var bestOptions = CreateOptions(options, best.Parameters);
        channel.Info(Format($"Best: trial {best.Index + 1}, {metric} {best.Value:G6}; retraining on all the data."));
        var model = _createTrainer(bestOptions).Fit(trainData);
        return new FeedForwardTuningResult<TOptions, TTransformer, TMetrics>(bestOptions, model, metricsByTrial[best.Index]!, best, metric, result.Trials, result.StopReason, clock.Elapsed);
    }

    /// <summary>
    /// The task trainer's options for one trial: a copy of the base options (or the defaults), seeded with the tuning seed
    /// when they have none, the tuning options' columns, the trial's share of the threads, then the trial's parameters.
    /// </summary>
    /// <param name="tuning">The tuning options.</param>
    /// <param name="parameters">The trial's parameters, or null for the base options alone.</param>
    /// <param name="concurrentTrials">
    /// The trials that train at once: above 1, the options' threads (their <c>NumberOfThreads</c>, or all processors)
    /// are shared out among them (<see cref="TrialThreads"/>).
    /// </param>
    internal static TOptions CreateOptions(FeedForwardTuningOptions tuning, ParameterSet? parameters, int concurrentTrials = 1)
    {
        var options = new TOptions();
        if (tuning.BaseOptions is { } source)
        {
            for (var type = typeof(TOptions); type is not null && type != typeof(object); type = type.BaseType)
            {
                if (!type.IsInstanceOfType(source))
                {
                    continue;
                }

                foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                {
                    var value = field.GetValue(source);
                    field.SetValue(options, value is Array array ? array.Clone() : value);
                }
            }
        }

        options.Seed ??= tuning.Seed;
        options.LabelColumnName = tuning.LabelColumnName;
        options.FeatureColumnName = tuning.FeatureColumnName;
        options.ExampleWeightColumnName = tuning.ExampleWeightColumnName;
        if (concurrentTrials > 1)
        {
            options.NumberOfThreads = TrialThreads(options, concurrentTrials);
        }

        if (parameters is not null)
        {
            FeedForwardSearchSpace.Apply(parameters, options);
        }

        return options;
    }

    /// <summary>
    /// The threads of each of <paramref name="concurrentTrials"/> trials training at once:
    /// <c>max(1, threads / concurrentTrials)</c>, where threads is <paramref name="options"/>' <c>NumberOfThreads</c>
    /// or, when null, the processor count.
    /// </summary>
    internal static int TrialThreads(FeedForwardTrainerOptionsBase options, int concurrentTrials) =>
        Math.Max(1, (options.NumberOfThreads ?? Environment.ProcessorCount) / concurrentTrials);

    /// <summary>
    /// How each trial's trainer reads <paramref name="metric"/> after every epoch when <paramref name="options"/> prune,
    /// or null without pruning.
    /// </summary>
    /// <exception cref="ArgumentException">The metric is not measured after every epoch, or the trainer holds out no validation rows.</exception>
    private Func<TrainingEpoch, double?>? PruningReading(FeedForwardTuningOptions options, FeedForwardTuningMetric metric, TOptions baseOptions)
    {
        if (options.Pruning == TrialPruning.None)
        {
            return null;
        }

        var read = FeedForwardTuningMetrics.EpochReading(metric)
            ?? throw new ArgumentException(Format($"Pruning needs a metric the trainer measures on its validation rows after every epoch ({string.Join(", ", FeedForwardTuningMetrics.PerEpoch(_task))} for {_task}); {metric} is measured only on a finished model. Set Metric to one of those, or Pruning to None. Received: Pruning={options.Pruning}, Metric={metric}."), nameof(options));
        if (baseOptions.ValidationFraction <= 0)
        {
            throw new ArgumentException(Format($"Pruning needs the validation metric of every epoch, which the trainer measures on the rows it holds out: BaseOptions.ValidationFraction must be above 0. Received: Pruning={options.Pruning}, ValidationFraction={baseOptions.ValidationFraction}."), nameof(options));
        }

        return read;
    }

    /// <summary>
    /// The task's default space, without the parameters a sparse network cannot take when the rows go into the network
    /// sparse: the base options' <c>DataLoading</c> is <c>Sparse</c>, or <c>Auto</c> and the feature column's first row
    /// is a sparse vector.
    /// </summary>
    private SearchSpace DefaultSpace(IDataView trainData, TOptions baseOptions)
    {
        var space = FeedForwardSearchSpace.CreateDefault(_task);
        var sparse = baseOptions.DataLoading switch
        {
            DataLoading.Sparse => true,
            DataLoading.Auto => TrainingDataReader.FirstRowIsSparse(trainData, TrainingColumns.Find(trainData.Schema, baseOptions.FeatureColumnName, baseOptions.LabelColumnName, _task, baseOptions.ExampleWeightColumnName)),
            _ => false,
        };
        return sparse ? space.Without(FeedForwardSearchSpace.DenseOnly) : space;
    }

    private static void CheckColumn(IDataView data, string name, string option)
    {
        if (data.Schema.GetColumnOrNull(name) is null)
        {
            throw new ArgumentException($"{option}: the column '{name}' is not in the training data (columns: {string.Join(", ", data.Schema.Select(c => c.Name))}).", "options");
        }
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    // The validation splits, fixed for the whole search so every trial is scored on the same rows.
    private static IReadOnlyList<DataOperationsCatalog.TrainTestData> Split(IDataView data, FeedForwardTuningOptions options)
    {
        var splitter = new MLContext(options.Seed).Data;
        return options.NumberOfFolds >= 2
            ? splitter.CrossValidationSplit(data, options.NumberOfFolds, seed: options.Seed)
            : [splitter.TrainTestSplit(data, options.ValidationFraction, seed: options.Seed)];
    }

    // Trains on each split's training rows and evaluates the predictions on all the held-out rows together. The first
    // split's training reports to firstFold instead of the options' Progress (which firstFold passes the epochs on to).
    private TMetrics Score(IReadOnlyList<DataOperationsCatalog.TrainTestData> splits, TOptions options, string labelColumnName, IProgress<TrainingEpoch>? firstFold)
    {
        var progress = options.Progress;
        var scored = new List<IDataView>(splits.Count);
        foreach (var split in splits)
        {
            options.Progress = scored.Count == 0 && firstFold is not null ? firstFold : progress;
            scored.Add(_createTrainer(options).Fit(split.TrainSet).Transform(split.TestSet));
        }

        return _evaluate(scored.Count == 1 ? scored[0] : new ConcatenatedDataView(scored), labelColumnName);
    }
}
