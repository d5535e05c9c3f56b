namespace MlNetDeep.Tuning;

/// <summary>
/// Stops a trial when its best value so far is worse than the median of the completed trials' values at the same
/// step, as Optuna's <c>MedianPruner</c>.
/// </summary>
/// <remarks>
/// Nothing is pruned before <see cref="Options.StartupTrials"/> trials have completed, nor at the first
/// <see cref="Options.WarmupSteps"/> steps of any trial (early epochs say little about the final value). Only
/// completed trials that reported a value at exactly that step count towards the median (with an even count, the
/// mean of the two middle values); pruned trials are left out, so the bar is set by the trials that ran to their end.
/// </remarks>
public sealed class MedianPruner : TrialPruner
{
    private readonly Options _options;

    /// <summary>Creates a median pruner with the default options.</summary>
    public MedianPruner()
        : this(new Options())
    {
    }

    /// <summary>Creates a median pruner with the given options.</summary>
    public MedianPruner(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    private protected override bool ShouldPrune(int trial, TrialRecord record, int step)
    {
        if (step <= _options.WarmupSteps)
        {
            return false;
        }

        var completed = 0;
        var others = new List<double>();
        foreach (var (id, other) in Trials)
        {
            if (id == trial || !other.Completed)
            {
                continue;
            }

            completed++;
            if (other.Values.TryGetValue(step, out var value))
            {
                others.Add(value);
            }
        }

        if (completed < _options.StartupTrials || others.Count == 0)
        {
            return false;
        }

        others.Sort();
        var middle = others.Count / 2;
        var median = others.Count % 2 == 1 ? others[middle] : 0.5 * (others[middle - 1] + others[middle]);
        return record.Best > median;
    }

    /// <summary>Settings of a <see cref="MedianPruner"/>; defaults come from <see cref="Defaults"/>.</summary>
    public sealed class Options
    {
        /// <summary>The number of completed trials before any trial is pruned.</summary>
        public int StartupTrials = Defaults.StartupTrials;

        /// <summary>The number of first steps of every trial at which it is never pruned.</summary>
        public int WarmupSteps = Defaults.WarmupSteps;

        internal void Validate()
        {
            if (StartupTrials < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(StartupTrials), StartupTrials, $"StartupTrials must be at least 1. Received: StartupTrials={StartupTrials}.");
            }

            if (WarmupSteps < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, $"WarmupSteps must be at least 0. Received: WarmupSteps={WarmupSteps}.");
            }
        }

        /// <summary>The default option values.</summary>
        public static class Defaults
        {
            /// <summary>5 completed trials (as Optuna).</summary>
            public const int StartupTrials = 5;

            /// <summary>3 steps.</summary>
            public const int WarmupSteps = 3;
        }
    }
}
