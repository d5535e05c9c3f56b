namespace MlNetDeep.Tuning;

/// <summary>
/// Asynchronous successive halving (ASHA; Li et al., 2020): at rungs placed at steps <c>r·ηᵏ</c>
/// (<see cref="Options.MinResource"/> <c>r</c>, <see cref="Options.ReductionFactor"/> <c>η</c>), a trial continues
/// only when it ranks in the top <c>1/η</c> of all the trials that reached that rung so far, itself included.
/// </summary>
/// <remarks>
/// <para>
/// A trial's value at a rung is its best value so far when it first reports at or past the rung's step (a trial
/// that reports every few epochs passes several rungs in one report and is ranked at each in turn). It is promoted
/// when that value is at most the <c>⌊n/η⌋</c>-th lowest of the <c>n</c> values recorded at the rung; while
/// <c>n &lt; η</c>, only a value that is the lowest so far is promoted (trials cannot be paused and resumed, so the
/// first trials at a rung are judged against each other as they come, as in Optuna's
/// <c>SuccessiveHalvingPruner</c>). Trials pruned later still count at the rungs they passed.
/// </para>
/// </remarks>
public sealed class SuccessiveHalvingPruner : TrialPruner
{
    private readonly Options _options;
    private readonly List<List<double>> _rungs = [];
    private readonly Dictionary<int, int> _rungsPassed = [];

    /// <summary>Creates a successive-halving pruner with the default options.</summary>
    public SuccessiveHalvingPruner()
        : this(new Options())
    {
    }

    /// <summary>Creates a successive-halving pruner with the given options.</summary>
    public SuccessiveHalvingPruner(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>The step of rung <paramref name="rung"/> (from 0): <c>MinResource·ReductionFactorʳᵘⁿᵍ</c>.</summary>
    public long RungStep(int rung)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rung);
        var step = (long)_options.MinResource;
        for (var k = 0; k < rung && step <= int.MaxValue; k++)
        {
            step *= _options.ReductionFactor;
        }

        return step;
    }

    private protected override bool ShouldPrune(int trial, TrialRecord record, int step)
    {
        var rung = _rungsPassed.GetValueOrDefault(trial);
        while (RungStep(rung) <= step)
        {
            if (_rungs.Count == rung)
            {
                _rungs.Add([]);
            }

            var values = _rungs[rung];
            values.Add(record.Best);
            _rungsPassed[trial] = ++rung;
            var sorted = values.Order().ToList();
            var promotable = Math.Max(0, (values.Count / _options.ReductionFactor) - 1);
            if (record.Best > sorted[promotable])
            {
                return true;
            }
        }

        return false;
    }

    private protected override void OnReset()
    {
        _rungs.Clear();
        _rungsPassed.Clear();
    }

    /// <summary>Settings of a <see cref="SuccessiveHalvingPruner"/>; defaults come from <see cref="Defaults"/>.</summary>
    public sealed class Options
    {
        /// <summary>The step of the first rung (<c>r</c>, e.g. epochs): every trial runs at least this many steps.</summary>
        public int MinResource = Defaults.MinResource;

        /// <summary>The reduction factor <c>η</c>: rungs are <c>η</c> times further apart each, and keep the top <c>1/η</c>.</summary>
        public int ReductionFactor = Defaults.ReductionFactor;

        internal void Validate()
        {
            if (MinResource < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(MinResource), MinResource, $"MinResource must be at least 1. Received: MinResource={MinResource}.");
            }

            if (ReductionFactor < 2)
            {
                throw new ArgumentOutOfRangeException(nameof(ReductionFactor), ReductionFactor, $"ReductionFactor must be at least 2. Received: ReductionFactor={ReductionFactor}.");
            }
        }

        /// <summary>The default option values.</summary>
        public static class Defaults
        {
            /// <summary>1 step.</summary>
            public const int MinResource = 1;

            /// <summary>η = 3.</summary>
            public const int ReductionFactor = 3;
        }
    }
}
