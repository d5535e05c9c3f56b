namespace MlNetDeep.Tuning;

/// <summary>
/// Decides whether a running trial should stop early, from the values trials report after each step (e.g. the
/// validation loss after each epoch). Values are in minimization sense: lower is better (report the negation of
/// a metric to maximize, as <see cref="HyperparameterOptimizer.Maximize(Func{ParameterSet, TrialReporter, double}, TrialPruner, int, TimeSpan?, Action{Trial}?, CancellationToken)"/> does).
/// </summary>
/// <remarks>
/// <para>
/// A trial is identified by an integer of the caller's choosing (the search loop uses the trial index). It calls
/// <see cref="Report"/> after each step, with steps increasing (the resource used so far, e.g. the number of
/// epochs, from 1), stops when it returns <see langword="true"/>, and calls <see cref="Complete"/> when it runs to
/// its end. A NaN value (a diverged trial) is pruned at once, except by the pruner of <see cref="TrialPruning.None"/>.
/// </para>
/// <para>
/// What the Bayesian model learns from a pruned trial: only values that are comparable with completed trials' final
/// values may reach it. The search loop tells the optimizer a pruned trial's best reported value
/// (<see cref="BestValue"/>). When the reported metric is the one the trial would have returned, a curve that keeps
/// improving, or a training run that keeps its best epoch, ends at or below that value, so the told value is a
/// pessimistic bound on the unknown final value (right-censored): it steers the model away from the region, which
/// is what the pruning decision said, and it can never make the pruned configuration look better than it was. A
/// pruned trial never becomes the search's best result, even when its reported value is below every completed
/// trial's final value.
/// </para>
/// <para>Calls are serialized by a lock, so trials running in parallel may report from their own threads.</para>
/// </remarks>
public abstract class TrialPruner
{
    private readonly Dictionary<int, TrialRecord> _trials = [];
    private readonly object _gate = new();

    private protected TrialPruner()
    {
    }

    /// <summary>Whether this pruner ever stops a trial (false only for <see cref="TrialPruning.None"/>).</summary>
    public virtual bool CanPrune => true;

    /// <summary>The trials reported so far, by id.</summary>
    private protected IReadOnlyDictionary<int, TrialRecord> Trials => _trials;

    /// <summary>
    /// The pruner for <paramref name="pruning"/> with its default options: one that never prunes for
    /// <see cref="TrialPruning.None"/>, a <see cref="MedianPruner"/> or a <see cref="SuccessiveHalvingPruner"/>.
    /// </summary>
    public static TrialPruner Create(TrialPruning pruning) => pruning switch
    {
        TrialPruning.None => new NoPruner(),
        TrialPruning.Median => new MedianPruner(),
        TrialPruning.SuccessiveHalving => new SuccessiveHalvingPruner(),
        _ => throw new ArgumentOutOfRangeException(nameof(pruning), pruning, $"Unknown TrialPruning. Received: pruning={pruning}."),
    };

    /// <summary>
    /// Records the value of trial <paramref name="trial"/> after <paramref name="step"/> and returns whether the
    /// trial should stop now. Once a trial is pruned, every later report returns <see langword="true"/> and is ignored.
    /// </summary>
    /// <param name="trial">The trial's id.</param>
    /// <param name="step">The step just finished (e.g. epochs so far), at least 1 and greater than the trial's previous step.</param>
    /// <param name="value">The trial's value after that step, lower is better; NaN prunes the trial.</param>
    public bool Report(int trial, int step, double value)
    {
        lock (_gate)
        {
            if (!_trials.TryGetValue(trial, out var record))
            {
                record = new TrialRecord();
                _trials.Add(trial, record);
            }

            if (record.PrunedAtStep is not null)
            {
                return true;
            }

            if (record.Completed)
            {
                throw new InvalidOperationException($"Trial {trial} was already completed. Received: a report at step {step}.");
            }

            if (step < 1 || step <= record.LastStep)
            {
                throw new ArgumentOutOfRangeException(nameof(step), step, $"step must be at least 1 and greater than the trial's previous step ({record.LastStep}). Received: step={step}.");
            }

            record.LastStep = step;
            if (double.IsNaN(value))
            {
                if (!CanPrune)
                {
                    return false;
                }

                record.PrunedAtStep = step;
                return true;
            }

            record.Values[step] = value;
            record.Best = Math.Min(record.Best, value);
            if (ShouldPrune(trial, record, step))
            {
                record.PrunedAtStep = step;
                return true;
            }

            return false;
        }
    }

    /// <summary>Marks trial <paramref name="trial"/> as having run to its end (not pruned).</summary>
    public void Complete(int trial)
    {
        lock (_gate)
        {
            if (!_trials.TryGetValue(trial, out var record))
            {
                record = new TrialRecord();
                _trials.Add(trial, record);
            }

            if (record.PrunedAtStep is not null)
            {
                throw new InvalidOperationException($"Trial {trial} was pruned at step {record.PrunedAtStep}; it cannot complete.");
            }

            record.Completed = true;
        }
    }

    /// <summary>Whether trial <paramref name="trial"/> was pruned.</summary>
    public bool IsPruned(int trial)
    {
        lock (_gate)
        {
            return _trials.TryGetValue(trial, out var record) && record.PrunedAtStep is not null;
        }
    }

    /// <summary>The step at which trial <paramref name="trial"/> was pruned, or <see langword="null"/> when it was not.</summary>
    public int? PrunedAtStep(int trial)
    {
        lock (_gate)
        {
            return _trials.TryGetValue(trial, out var record) ? record.PrunedAtStep : null;
        }
    }

    /// <summary>
    /// The lowest value trial <paramref name="trial"/> reported, or NaN when it reported none (or only NaN): the
    /// value to tell the optimizer for a pruned trial (see the remarks).
    /// </summary>
    public double BestValue(int trial)
    {
        lock (_gate)
        {
            return _trials.TryGetValue(trial, out var record) && record.Values.Count > 0 ? record.Best : double.NaN;
        }
    }

    /// <summary>Forgets every trial.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _trials.Clear();
            OnReset();
        }
    }

    /// <summary>Whether <paramref name="record"/>, which has just recorded a value at <paramref name="step"/>, should stop.</summary>
    private protected abstract bool ShouldPrune(int trial, TrialRecord record, int step);

    /// <summary>Forgets the pruner's own state.</summary>
    private protected virtual void OnReset()
    {
    }

    /// <summary>What a pruner knows of one trial.</summary>
    private protected sealed class TrialRecord
    {
        /// <summary>The values reported, by step.</summary>
        public Dictionary<int, double> Values { get; } = [];

        /// <summary>The lowest value reported (+∞ before the first).</summary>
        public double Best { get; set; } = double.PositiveInfinity;

        /// <summary>The last step reported (0 before the first).</summary>
        public int LastStep { get; set; }

        /// <summary>The step the trial was pruned at, or null.</summary>
        public int? PrunedAtStep { get; set; }

        /// <summary>Whether the trial ran to its end.</summary>
        public bool Completed { get; set; }
    }

    /// <summary>The pruner of <see cref="TrialPruning.None"/>: records values, never stops a trial.</summary>
    private sealed class NoPruner : TrialPruner
    {
        public override bool CanPrune => false;

        private protected override bool ShouldPrune(int trial, TrialRecord record, int step) => false;
    }
}
