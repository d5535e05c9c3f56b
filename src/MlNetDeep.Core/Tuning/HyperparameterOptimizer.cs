using System.Diagnostics;
using System.Globalization;

namespace MlNetDeep.Tuning;

/// <summary>
/// The common shape of the hyperparameter searches (<see cref="BayesianOptimizer"/>,
/// <see cref="RandomSearchOptimizer"/>), so a caller such as a tuner can take either.
/// </summary>
/// <remarks>
/// <para>
/// Two ways to drive a search. <see cref="Minimize(Func{ParameterSet, double}, int, TimeSpan?, Action{Trial}?, CancellationToken)"/> / <see cref="Maximize(Func{ParameterSet, double}, int, TimeSpan?, Action{Trial}?, CancellationToken)"/> run the whole loop: they start
/// afresh (the same seed gives the same trials), evaluate the objective one trial at a time, record failures
/// (an exception, NaN or an infinity) without stopping, and stop at <c>maxTrials</c>, when
/// <c>maxDuration</c> has passed, or when the token is cancelled; the trial in flight is never interrupted.
/// </para>
/// <para>
/// The ask/tell API runs trials elsewhere, e.g. in parallel: <see cref="Propose(int)"/> returns a batch of
/// distinct points (proposed points stay pending until told), and <see cref="Tell"/> reports a value. Ask/tell
/// always minimizes; to maximize, tell the negated value. A non-finite value marks the trial as failed; the
/// optimizer then steers away from it (the Bayesian optimizer treats it as the worst value seen).
/// </para>
/// <para>
/// Trials that train step by step can be stopped early: the <c>Minimize</c>/<c>Maximize</c> overloads taking a
/// <see cref="TrialPruner"/> hand the objective a <see cref="TrialReporter"/> for its per-step values. A pruned trial
/// is told with its best reported value, a pessimistic bound on its final value, and is never the best result. With
/// ask/tell, drive a <see cref="TrialPruner"/> directly and tell a pruned trial's <see cref="TrialPruner.BestValue"/>.
/// </para>
/// <para>
/// The overloads taking <c>maxConcurrentTrials</c> run that many trials at once, each on its own thread, with the
/// ask/tell API underneath: one batch proposal to start, then one proposal (with the running trials pending) each time
/// the oldest running trial is told, so the same seed and concurrency give the same proposals whatever the timing.
/// </para>
/// <para>An optimizer is not thread-safe: call <see cref="Propose(int)"/> and <see cref="Tell"/> from one thread at a time.</para>
/// </remarks>
public abstract class HyperparameterOptimizer
{
    private readonly List<Observation> _observations = [];
    private readonly List<ParameterSet> _pending = [];

    private protected HyperparameterOptimizer(SearchSpace space, int seed)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (space.Count == 0)
        {
            throw new ArgumentException("The search space has no parameters. Received: an empty SearchSpace.", nameof(space));
        }

        Space = space;
        Seed = seed;
    }

    /// <summary>The space being searched.</summary>
    public SearchSpace Space { get; }

    /// <summary>The seed all random choices derive from.</summary>
    public int Seed { get; }

    /// <summary>The number of results told so far (failed ones included).</summary>
    public int ObservationCount => _observations.Count;

    /// <summary>Points proposed but not yet told, oldest first.</summary>
    public IReadOnlyList<ParameterSet> Pending => _pending;

    /// <summary>The results told so far, in minimization sense (NaN for failures).</summary>
    private protected IReadOnlyList<Observation> Observations => _observations;

    /// <summary>The number of trials the running <see cref="Minimize(Func{ParameterSet, double}, int, TimeSpan?, Action{Trial}?, CancellationToken)"/>/<see cref="Maximize(Func{ParameterSet, double}, int, TimeSpan?, Action{Trial}?, CancellationToken)"/> call may use, or <see langword="null"/> in ask/tell use.</summary>
    private protected int? TrialBudget { get; private set; }

    /// <summary>Proposes one point to evaluate next; it stays pending until told.</summary>
    public ParameterSet Propose() => Propose(1)[0];

    /// <summary>
    /// Proposes <paramref name="count"/> points to evaluate, e.g. in parallel. The Bayesian optimizer makes the
    /// batch diverse by pretending each chosen (and each already pending) point returned the model's prediction
    /// (kriging believer) before choosing the next.
    /// </summary>
    /// <param name="count">The batch size, at least 1.</param>
    public IReadOnlyList<ParameterSet> Propose(int count)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be at least 1. Received: count={count}.");
        }

        var batch = ProposeCore(count);
        _pending.AddRange(batch);
        return batch;
    }

    /// <summary>
    /// Reports the objective's value at <paramref name="parameters"/> (lower is better). A non-finite value marks
    /// the trial as failed. The point need not have been proposed (e.g. a known configuration to warm-start
    /// from), but it must belong to the space.
    /// </summary>
    public void Tell(ParameterSet parameters, double value)
    {
        Space.Validate(parameters);
        var index = _pending.IndexOf(parameters);
        if (index >= 0)
        {
            _pending.RemoveAt(index);
        }

        _observations.Add(new Observation(parameters, double.IsFinite(value) ? value : double.NaN));
    }

    /// <summary>Forgets every observation and pending point and restarts the random stream from <see cref="Seed"/>.</summary>
    public void Reset()
    {
        _observations.Clear();
        _pending.Clear();
        TrialBudget = null;
        OnReset();
    }

    /// <summary>Searches for the parameters with the lowest objective value.</summary>
    /// <param name="objective">The function to minimize; it may throw or return NaN/∞ for a failed trial.</param>
    /// <param name="maxTrials">The most trials to run, at least 1.</param>
    /// <param name="maxDuration">Start no new trial after this much wall-clock time; <see langword="null"/> for no limit.</param>
    /// <param name="progress">Called after every trial, with the trial just recorded.</param>
    /// <param name="cancellationToken">Start no new trial once cancelled; the result so far is returned.</param>
    public OptimizationResult Minimize(Func<ParameterSet, double> objective, int maxTrials, TimeSpan? maxDuration = null, Action<Trial>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return Run((p, _) => objective(p), null, maxTrials, 1, maxDuration, progress, cancellationToken, sign: 1);
    }

    /// <summary>Searches for the parameters with the highest objective value (the same as minimizing its negation).</summary>
    /// <param name="objective">The function to maximize; it may throw or return NaN/∞ for a failed trial.</param>
    /// <param name="maxTrials">The most trials to run, at least 1.</param>
    /// <param name="maxDuration">Start no new trial after this much wall-clock time; <see langword="null"/> for no limit.</param>
    /// <param name="progress">Called after every trial, with the trial just recorded.</param>
    /// <param name="cancellationToken">Start no new trial once cancelled; the result so far is returned.</param>
    public OptimizationResult Maximize(Func<ParameterSet, double> objective, int maxTrials, TimeSpan? maxDuration = null, Action<Trial>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return Run((p, _) => objective(p), null, maxTrials, 1, maxDuration, progress, cancellationToken, sign: -1);
    }

    /// <summary>
    /// Searches for the parameters with the lowest objective value, stopping unpromising trials early: the objective
    /// reports its value after each step (e.g. epoch) to the <see cref="TrialReporter"/> and returns when told to.
    /// </summary>
    /// <remarks>
    /// The pruner is reset first. A pruned trial is recorded with its best reported value
    /// (<see cref="Trial.PrunedAtStep"/> set) and told to the optimizer with that value, a pessimistic bound on its
    /// unknown final value (see <see cref="TrialPruner"/>); it is never the result's best trial. A trial that returns
    /// without being pruned is completed for the pruner, and its returned value is its result.
    /// </remarks>
    /// <param name="objective">The function to minimize, given the trial's reporter; it may throw or return NaN/∞ for a failed trial.</param>
    /// <param name="pruner">Decides which trials stop early, e.g. <c>TrialPruner.Create(TrialPruning.Median)</c>.</param>
    /// <param name="maxTrials">The most trials to run, at least 1.</param>
    /// <param name="maxDuration">Start no new trial after this much wall-clock time; <see langword="null"/> for no limit.</param>
    /// <param name="progress">Called after every trial, with the trial just recorded.</param>
    /// <param name="cancellationToken">Start no new trial once cancelled; the result so far is returned.</param>
    public OptimizationResult Minimize(Func<ParameterSet, TrialReporter, double> objective, TrialPruner pruner, int maxTrials, TimeSpan? maxDuration = null, Action<Trial>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pruner);
        return Run(objective, pruner, maxTrials, 1, maxDuration, progress, cancellationToken, sign: 1);
    }

    /// <summary>
    /// Searches for the parameters with the highest objective value, stopping unpromising trials early (the same as
    /// minimizing the negation; the pruner sees negated values). See the <c>Minimize</c> overload with a pruner.
    /// </summary>
    /// <param name="objective">The function to maximize, given the trial's reporter; it may throw or return NaN/∞ for a failed trial.</param>
    /// <param name="pruner">Decides which trials stop early, e.g. <c>TrialPruner.Create(TrialPruning.SuccessiveHalving)</c>.</param>
    /// <param name="maxTrials">The most trials to run, at least 1.</param>
    /// <param name="maxDuration">Start no new trial after this much wall-clock time; <see langword="null"/> for no limit.</param>
    /// <param name="progress">Called after every trial, with the trial just recorded.</param>
    /// <param name="cancellationToken">Start no new trial once cancelled; the result so far is returned.</param>
    public OptimizationResult Maximize(Func<ParameterSet, TrialReporter, double> objective, TrialPruner pruner, int maxTrials, TimeSpan? maxDuration = null, Action<Trial>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pruner);
        return Run(objective, pruner, maxTrials, 1, maxDuration, progress, cancellationToken, sign: -1);
    }

    /// <summary>
    /// Searches for the parameters with the lowest objective value, running up to <paramref name="maxConcurrentTrials"/>
    /// trials at once on their own threads and stopping unpromising trials early (see the <c>Minimize</c> overload
    /// with a pruner).
    /// </summary>
    /// <remarks>
    /// <para>
    /// The first <paramref name="maxConcurrentTrials"/> points come from one batch proposal (<see cref="Propose(int)"/>);
    /// after that, each time the oldest running trial ends it is told and the next point is proposed with the others
    /// still pending. Trials are told, recorded and passed to <paramref name="progress"/> in the order they started, on
    /// the calling thread, so trial <c>k</c> is always proposed knowing the results of trials
    /// <c>0 … k − maxConcurrentTrials</c> and with the trials in between pending: for a given seed and
    /// <paramref name="maxConcurrentTrials"/>, the points proposed depend only on the values the trials return, not on
    /// which trial ends first. A trial that ends before an older one waits, with its thread idle, until the older one
    /// is told. Pruning decisions compare the values trials have reported so far, so with a pruner and more than one
    /// trial at once they depend on how the running trials' steps interleave in time.
    /// </para>
    /// <para>
    /// The objective is called from several threads at once; <paramref name="maxConcurrentTrials"/> = 1 calls it on
    /// the calling thread and runs exactly as the overload without it. When <paramref name="progress"/> throws, the
    /// trials still running are waited for before the exception leaves.
    /// </para>
    /// </remarks>
    /// <param name="objective">The function to minimize, given the trial's reporter; called from several threads at once, it may throw or return NaN/∞ for a failed trial.</param>
    /// <param name="pruner">Decides which trials stop early; <c>TrialPruner.Create(TrialPruning.None)</c> for none.</param>
    /// <param name="maxTrials">The most trials to run, at least 1.</param>
    /// <param name="maxConcurrentTrials">The most trials running at once, at least 1.</param>
    /// <param name="maxDuration">Start no new trial after this much wall-clock time; <see langword="null"/> for no limit.</param>
    /// <param name="progress">Called on the calling thread after every trial, in the order the trials started.</param>
    /// <param name="cancellationToken">Start no new trial once cancelled; the trials running finish and the result so far is returned.</param>
    public OptimizationResult Minimize(Func<ParameterSet, TrialReporter, double> objective, TrialPruner pruner, int maxTrials, int maxConcurrentTrials, TimeSpan? maxDuration = null, Action<Trial>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pruner);
        return Run(objective, pruner, maxTrials, maxConcurrentTrials, maxDuration, progress, cancellationToken, sign: 1);
    }

    /// <summary>
    /// Searches for the parameters with the highest objective value, running up to <paramref name="maxConcurrentTrials"/>
    /// trials at once and stopping unpromising trials early (the same as minimizing the negation). See the
    /// <c>Minimize</c> overload with <c>maxConcurrentTrials</c>.
    /// </summary>
    /// <param name="objective">The function to maximize, given the trial's reporter; called from several threads at once, it may throw or return NaN/∞ for a failed trial.</param>
    /// <param name="pruner">Decides which trials stop early; <c>TrialPruner.Create(TrialPruning.None)</c> for none.</param>
    /// <param name="maxTrials">The most trials to run, at least 1.</param>
    /// <param name="maxConcurrentTrials">The most trials running at once, at least 1.</param>
    /// <param name="maxDuration">Start no new trial after this much wall-clock time; <see langword="null"/> for no limit.</param>
    /// <param name="progress">Called on the calling thread after every trial, in the order the trials started.</param>
    /// <param name="cancellationToken">Start no new trial once cancelled; the trials running finish and the result so far is returned.</param>
    public OptimizationResult Maximize(Func<ParameterSet, TrialReporter, double> objective, TrialPruner pruner, int maxTrials, int maxConcurrentTrials, TimeSpan? maxDuration = null, Action<Trial>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pruner);
        return Run(objective, pruner, maxTrials, maxConcurrentTrials, maxDuration, progress, cancellationToken, sign: -1);
    }

    /// <summary>Chooses <paramref name="count"/> new points given <see cref="Observations"/> and <see cref="Pending"/>.</summary>
    private protected abstract IReadOnlyList<ParameterSet> ProposeCore(int count);

    /// <summary>Restarts the optimizer's own state (its random stream) from <see cref="Seed"/>.</summary>
    private protected abstract void OnReset();

    private OptimizationResult Run(Func<ParameterSet, TrialReporter, double> objective, TrialPruner? pruner, int maxTrials, int maxConcurrentTrials, TimeSpan? maxDuration, Action<Trial>? progress, CancellationToken cancellationToken, int sign)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (maxTrials < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTrials), maxTrials, $"maxTrials must be at least 1. Received: maxTrials={maxTrials}.");
        }

        if (maxConcurrentTrials < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxConcurrentTrials), maxConcurrentTrials, $"maxConcurrentTrials must be at least 1. Received: maxConcurrentTrials={maxConcurrentTrials}.");
        }

        if (maxDuration is { } limit && limit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDuration), limit, $"maxDuration must be positive. Received: maxDuration={limit}.");
        }

        Reset();
        pruner?.Reset();
        var noPruning = TrialPruner.Create(TrialPruning.None);
        TrialBudget = maxTrials;
        var clock = Stopwatch.StartNew();
        var trials = new List<Trial>(maxTrials);
        var running = new Queue<Task<Trial>>(maxConcurrentTrials);
        var reason = StopReason.TrialBudget;
        var stopped = false;
        Trial? best = null;
        try
        {
            while (true)
            {
                // Fill the free slots: all of them at the start (one batch proposal), then one per trial told.
                var free = Math.Min(maxConcurrentTrials - running.Count, maxTrials - trials.Count - running.Count);
                if (free > 0 && !stopped)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        (reason, stopped) = (StopReason.Cancelled, true);
                    }
                    else if (maxDuration is { } budget && clock.Elapsed >= budget)
                    {
                        (reason, stopped) = (StopReason.TimeBudget, true);
                    }
                    else
                    {
                        foreach (var parameters in Propose(free))
                        {
                            running.Enqueue(Start(trials.Count + running.Count, parameters));
                        }
                    }
                }

                if (running.Count == 0)
                {
                    break;
                }

                var trial = running.Dequeue().GetAwaiter().GetResult();
                trials.Add(trial);
                Tell(trial.Parameters, trial.Failure is null ? sign * trial.Value : double.NaN);
                if (trial.Succeeded && !trial.Pruned && (best is null || sign * trial.Value < sign * best.Value))
                {
                    best = trial;
                }

                progress?.Invoke(trial);
            }
        }
        finally
        {
            // Leave no trial running when progress throws.
            foreach (var task in running)
            {
                ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
            }

            TrialBudget = null;
        }

        return new OptimizationResult(best?.Parameters, best?.Value ?? double.NaN, trials, reason, clock.Elapsed);

        Task<Trial> Start(int index, ParameterSet parameters) => maxConcurrentTrials == 1
            ? Task.FromResult(Evaluate(index, parameters))
            : Task.Factory.StartNew(() => Evaluate(index, parameters), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // Runs one trial; never throws (a failure is recorded in the trial).
        Trial Evaluate(int index, ParameterSet parameters)
        {
            var started = Stopwatch.GetTimestamp();
            var reporter = new TrialReporter(pruner ?? noPruning, index, sign);
            double value;
            string? failure = null;
            int? prunedAt = null;
            try
            {
                value = objective(parameters, reporter);
                if (reporter.ShouldStop)
                {
                    prunedAt = pruner!.PrunedAtStep(index);
                    value = sign * pruner.BestValue(index);
                    if (double.IsNaN(value))
                    {
                        failure = "The trial was pruned after reporting NaN.";
                    }
                }
                else
                {
                    pruner?.Complete(index);
                    if (!double.IsFinite(value))
                    {
                        failure = string.Create(CultureInfo.InvariantCulture, $"The objective returned {value}.");
                    }
                }
            }
            catch (Exception exception)
            {
                value = double.NaN;
                failure = $"{exception.GetType().Name}: {exception.Message}";
            }

            return new Trial(index, parameters, value, Stopwatch.GetElapsedTime(started), failure, prunedAt);
        }
    }
}

/// <summary>A told result: the point and its value in minimization sense (NaN when the trial failed).</summary>
internal readonly record struct Observation(ParameterSet Parameters, double Value);
