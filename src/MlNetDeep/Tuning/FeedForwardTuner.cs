using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetDeep.Training;

namespace MlNetDeep.Tuning;

/// <summary>
/// Runs a FeedForward tuning search for one task: builds the trainer options of each trial from the base options
/// and the trial's parameters, scores them on held-out rows, logs every trial, and retrains the best options on
/// all the data. The catalog extensions in <c>FeedForwardTuningCatalog</c> create one per call. Cancelling the
/// environment (<c>MLContext.CancelExecution</c>) or the base options' <c>CancellationToken</c> stops the search, the
/// running trial included, with <see cref="OperationCanceledException"/>; the tuning options' own
/// <c>CancellationToken</c> lets the running trial finish and keeps the best configuration so far.
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

        var space = options.SearchSpace ?? FeedForwardSearchSpace.CreateDefault();
        FeedForwardSearchSpace.Validate(space);
        _createTrainer(CreateOptions(options, null));

        var clock = Stopwatch.StartNew();
        var splits = Split(trainData, options);
        HyperparameterOptimizer optimizer = options.SearchAlgorithm == FeedForwardSearchAlgorithm.Random
            ? new RandomSearchOptimizer(space, options.Seed)
            : new BayesianOptimizer(space, options.Seed);
        var maximize = FeedForwardTuningMetrics.IsMaximized(metric);
        var host = _environment.Register("FeedForwardTuner");
        host.CheckAlive();
        using var channel = host.Start("Tuning");
        channel.Info(Format($"Tuning {_task}: {options.MaxTrials} trials of {options.SearchAlgorithm} search, {(maximize ? "maximizing" : "minimizing")} {metric} on {(options.NumberOfFolds >= 2 ? $"{options.NumberOfFolds}-fold cross-validation" : $"a {options.ValidationFraction:P0} hold-out")}, seed {options.Seed}."));

        // A trial's training stops with OperationCanceledException when the environment or the base options' token is
        // cancelled. The optimizer records any exception as a failed trial, so the first one is kept, the search stopped
        // through the linked token, and the exception rethrown once the optimizer returns.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        OperationCanceledException? cancelled = null;
        var metricsByTrial = new List<TMetrics?>();
        double Objective(ParameterSet parameters)
        {
            metricsByTrial.Add(null);
            try
            {
                host.CheckAlive();
                var metrics = Score(splits, CreateOptions(options, parameters), options.LabelColumnName);
                metricsByTrial[^1] = metrics;
                return FeedForwardTuningMetrics.Read(metric, metrics);
            }
            catch (OperationCanceledException exception)
            {
                cancelled ??= exception;
                stop.Cancel();
                throw;
            }
        }

        Trial? best = null;
        void Progress(Trial trial)
        {
            if (cancelled is not null)
            {
                return;
            }

            if (trial.Succeeded)
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
        var result = maximize
            ? optimizer.Maximize(Objective, options.MaxTrials, maxDuration, Progress, stop.Token)
            : optimizer.Minimize(Objective, options.MaxTrials, maxDuration, Progress, stop.Token);
        if (cancelled is not null)
        {
            ExceptionDispatchInfo.Throw(cancelled);
        }

        host.CheckAlive();
        if (best is null)
        {
            var failures = string.Join(" | ", result.Trials.Take(3).Select(t => t.Failure));
            throw new InvalidOperationException(Format($"No trial of {_task} tuning succeeded ({result.Trials.Count} ran, stopped by {result.StopReason}); first failures: {failures}"));
        }

        var bestOptions = CreateOptions(options, best.Parameters);
        channel.Info(Format($"Best: trial {best.Index + 1}, {metric} {best.Value:G6}; retraining on all the data."));
        var model = _createTrainer(bestOptions).Fit(trainData);
        return new FeedForwardTuningResult<TOptions, TTransformer, TMetrics>(bestOptions, model, metricsByTrial[best.Index]!, best, metric, result.Trials, result.StopReason, clock.Elapsed);
    }

    /// <summary>
    /// The task trainer's options for one trial: a copy of the base options (or the defaults), seeded with the tuning seed
    /// when they have none, the tuning options' columns, then the trial's parameters.
    /// </summary>
    internal static TOptions CreateOptions(FeedForwardTuningOptions tuning, ParameterSet? parameters)
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
        if (parameters is not null)
        {
            FeedForwardSearchSpace.Apply(parameters, options);
        }

        return options;
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

    // Trains on each split's training rows and evaluates the predictions on all the held-out rows together.
    private TMetrics Score(IReadOnlyList<DataOperationsCatalog.TrainTestData> splits, TOptions options, string labelColumnName)
    {
        var scored = new List<IDataView>(splits.Count);
        foreach (var split in splits)
        {
            scored.Add(_createTrainer(options).Fit(split.TrainSet).Transform(split.TestSet));
        }

        return _evaluate(scored.Count == 1 ? scored[0] : new ConcatenatedDataView(scored), labelColumnName);
    }
}
