using MlNetDeep.Compute;

namespace MlNetDeep.Tuning;

/// <summary>
/// Bayesian optimization: a Gaussian-process surrogate of the objective (Matérn 5/2 with one length scale per
/// dimension, fitted by maximum marginal likelihood) and the expected-improvement acquisition.
/// </summary>
/// <remarks>
/// <para>
/// The first trials are a Latin hypercube design (<see cref="Options.InitialTrials"/>). After that, every
/// proposal refits the surrogate to all results, with failed trials counted as the worst value seen so far,
/// scores <see cref="Options.CandidateCount"/> scrambled-Halton candidates plus the incumbent by log expected
/// improvement, and refines the best <see cref="Options.RefinedCandidates"/> of them by a shrinking random local
/// search. Points already observed or pending are never proposed again. Batch proposals use the kriging
/// believer: each pending point is added to the surrogate with its predicted mean as if it had been observed.
/// Everything is deterministic for a given seed.
/// </para>
/// </remarks>
public sealed class BayesianOptimizer : HyperparameterOptimizer
{
    private readonly Options _options;
    private RandomGenerator _random;
    private QuasiRandom _candidates;
    private double[][]? _design;
    private int _designUsed;
    private double[]? _hyperparameters;

    /// <summary>Creates a Bayesian optimizer over <paramref name="space"/> with the default options.</summary>
    public BayesianOptimizer(SearchSpace space, int seed)
        : this(space, seed, new Options())
    {
    }

    /// <summary>Creates a Bayesian optimizer over <paramref name="space"/>; the same seed gives the same proposals.</summary>
    public BayesianOptimizer(SearchSpace space, int seed, Options options)
        : base(space, seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _random = new RandomGenerator(seed);
        _candidates = new QuasiRandom(space.Count, _random);
    }

    /// <summary>
    /// The number of initial space-filling trials: <see cref="Options.InitialTrials"/> when set, otherwise
    /// <c>max(5, 2·parameters)</c>, capped at a third of the trial budget (at least 2) inside
    /// <see cref="HyperparameterOptimizer.Minimize"/>.
    /// </summary>
    public int InitialTrialCount
    {
        get
        {
            if (_options.InitialTrials is { } fixedCount)
            {
                return fixedCount;
            }

            var count = Math.Max(5, 2 * Space.Count);
            return TrialBudget is { } budget ? Math.Min(count, Math.Max(2, budget / 3)) : count;
        }
    }

    private protected override void OnReset()
    {
        _random = new RandomGenerator(Seed);
        _candidates = new QuasiRandom(Space.Count, _random);
        _design = null;
        _designUsed = 0;
        _hyperparameters = null;
    }

    private protected override IReadOnlyList<ParameterSet> ProposeCore(int count)
    {
        var batch = new List<ParameterSet>(count);
        var taken = new HashSet<ParameterSet>(Observations.Select(o => o.Parameters).Concat(Pending));
        var initial = InitialTrialCount;
        Surrogate? surrogate = null;
        var fitted = false;
        for (var b = 0; b < count; b++)
        {
            ParameterSet? next = null;
            if (Observations.Count + Pending.Count + b < initial)
            {
                next = NextDesignPoint(initial, taken);
            }
            else
            {
                if (!fitted)
                {
                    surrogate = FitSurrogate();
                    fitted = true;
                }

                if (surrogate is not null)
                {
                    next = MaximizeAcquisition(surrogate.WithPending([.. Pending, .. batch]), taken);
                }
            }

            next ??= RandomPoint(taken);
            taken.Add(next);
            batch.Add(next);
        }

        return batch;
    }

    private ParameterSet NextDesignPoint(int initial, HashSet<ParameterSet> taken)
    {
        _design ??= QuasiRandom.LatinHypercube(initial, Space.Count, _random);
        while (_designUsed < _design.Length)
        {
            var point = Space.Decode(_design[_designUsed++]);
            if (!taken.Contains(point))
            {
                return point;
            }
        }

        return RandomPoint(taken);
    }

    private ParameterSet RandomPoint(HashSet<ParameterSet> taken)
    {
        var unit = new double[Space.Count];
        ParameterSet point;
        var attempts = 0;
        do
        {
            _candidates.Next(unit);
            point = Space.Decode(unit);
        }
        while (taken.Contains(point) && ++attempts < 1000);
        return point;
    }

    /// <summary>Fits the GP to every observation (failures as the worst successful value); null with fewer than two.</summary>
    private Surrogate? FitSurrogate()
    {
        var successes = Observations.Where(o => !double.IsNaN(o.Value)).ToList();
        if (successes.Count == 0 || Observations.Count < 2)
        {
            return null;
        }

        var worst = successes.Max(o => o.Value);
        var x = new List<double[]>(Observations.Count);
        var y = new List<double>(Observations.Count);
        foreach (var observation in Observations)
        {
            x.Add(Encode(observation.Parameters));
            y.Add(double.IsNaN(observation.Value) ? worst : observation.Value);
        }

        GaussianProcess gp;
        try
        {
            gp = GaussianProcess.Fit(x, y, _random, _options.HyperparameterRestarts, _hyperparameters);
        }
        catch (InvalidOperationException)
        {
            // The covariance could not be factorized even with jitter (e.g. values too extreme to standardize):
            // fall back to a space-filling proposal rather than ending the search.
            return null;
        }

        _hyperparameters = gp.Unconstrained;

        // The incumbent for EI is the lowest posterior mean at an observed point (robust to noise); the start of
        // the local search is the observed point with the lowest value.
        var scratch = new double[x.Count];
        var best = double.PositiveInfinity;
        var incumbent = Observations[0].Parameters;
        var incumbentValue = double.PositiveInfinity;
        for (var i = 0; i < x.Count; i++)
        {
            best = Math.Min(best, gp.PredictStandardized(x[i], scratch).Mean);
            if (y[i] < incumbentValue)
            {
                incumbentValue = y[i];
                incumbent = Observations[i].Parameters;
            }
        }

        return new Surrogate(this, gp, gp, best, incumbent);
    }

    /// <summary>
    /// Maximizes log EI: scores the incumbent and <see cref="Options.CandidateCount"/> Halton candidates, refines
    /// the best few by a shrinking Gaussian random walk in the sampling coordinates, and returns the best point
    /// not yet observed or pending (null when every scored point is taken).
    /// </summary>
    private ParameterSet? MaximizeAcquisition(Surrogate surrogate, HashSet<ParameterSet> taken)
    {
        var dims = Space.Count;
        var features = new double[Space.FeatureCount];
        var choices = new int[dims];
        var candidates = new List<(double Score, double[] Unit)>(_options.CandidateCount + 1);
        var incumbentUnit = new double[dims];
        Space.ToUnit(surrogate.Incumbent, incumbentUnit);
        candidates.Add((Score(incumbentUnit), incumbentUnit));
        for (var c = 0; c < _options.CandidateCount; c++)
        {
            var unit = new double[dims];
            _candidates.Next(unit);
            candidates.Add((Score(unit), unit));
        }

        // Stable order: by score, then by position, so ties cannot depend on the sort's internals.
        var ranked = candidates.Select((c, i) => (c.Score, c.Unit, Index: i))
            .OrderByDescending(c => c.Score).ThenBy(c => c.Index)
            .Select(c => (c.Score, c.Unit)).ToList();
        var refined = new List<(double Score, double[] Unit)>();
        var trial = new double[dims];
        foreach (var (startScore, startUnit) in ranked.Take(_options.RefinedCandidates))
        {
            var current = (double[])startUnit.Clone();
            var currentScore = startScore;
            var step = 0.1;
            for (var s = 0; s < _options.RefinementSteps; s++)
            {
                if (s > 0 && s % Math.Max(1, _options.RefinementSteps / 3) == 0)
                {
                    step *= 0.3;
                }

                for (var d = 0; d < dims; d++)
                {
                    trial[d] = Math.Clamp(current[d] + (step * _random.NextGaussian()), 0, 1 - 1e-12);
                }

                var score = Score(trial);
                if (score > currentScore)
                {
                    currentScore = score;
                    trial.CopyTo(current, 0);
                }
            }

            refined.Add((currentScore, current));
        }

        foreach (var (score, unit) in refined.OrderByDescending(r => r.Score).Concat(ranked))
        {
            if (double.IsNegativeInfinity(score))
            {
                break;
            }

            var point = Space.Decode(unit);
            if (!taken.Contains(point))
            {
                return point;
            }
        }

        return null;

        double Score(double[] unit)
        {
            Space.UnitToFeatures(unit, features, choices);
            return surrogate.LogExpectedImprovement(features);
        }
    }

    private double[] Encode(ParameterSet parameters)
    {
        var features = new double[Space.FeatureCount];
        Space.Encode(parameters, features);
        return features;
    }

    /// <summary>The fitted GP (<see cref="Base"/>), the GP conditioned on fantasized pending points (<see cref="Model"/>) and the EI incumbent.</summary>
    private sealed class Surrogate(BayesianOptimizer owner, GaussianProcess fitted, GaussianProcess model, double best, ParameterSet incumbent)
    {
        private readonly double[] _scratch = new double[model.StandardizedTargets.Count];

        public GaussianProcess Base { get; } = fitted;

        public GaussianProcess Model { get; } = model;

        public ParameterSet Incumbent { get; } = incumbent;

        /// <summary>Adds <paramref name="pending"/> with the fitted GP's predicted mean as their value (kriging believer).</summary>
        public Surrogate WithPending(IReadOnlyList<ParameterSet> pending)
        {
            if (pending.Count == 0)
            {
                return this;
            }

            var x = pending.Select(owner.Encode).ToList();
            var scratch = new double[Base.StandardizedTargets.Count];
            var y = x.Select(p => Base.PredictStandardized(p, scratch).Mean).ToList();
            return new Surrogate(owner, Base, Base.WithExtraPoints(x, y), best, Incumbent);
        }

        public double LogExpectedImprovement(ReadOnlySpan<double> features)
        {
            var (mean, variance) = Model.PredictStandardized(features, _scratch);
            return ExpectedImprovement.Log(mean, Math.Sqrt(variance), best);
        }
    }

    /// <summary>Settings of a <see cref="BayesianOptimizer"/>; defaults come from <see cref="Defaults"/>.</summary>
    public sealed class Options
    {
        /// <summary>
        /// The number of initial Latin-hypercube trials before the surrogate is used, or <see langword="null"/>
        /// for <c>max(5, 2·parameters)</c> capped at a third of the trial budget (see
        /// <see cref="BayesianOptimizer.InitialTrialCount"/>).
        /// </summary>
        public int? InitialTrials = Defaults.InitialTrials;

        /// <summary>The number of quasi-random candidates scored by expected improvement per proposal.</summary>
        public int CandidateCount = Defaults.CandidateCount;

        /// <summary>The number of best candidates refined by local search per proposal.</summary>
        public int RefinedCandidates = Defaults.RefinedCandidates;

        /// <summary>The local-search steps per refined candidate (step size 0.1, then ×0.3 twice, in the unit cube).</summary>
        public int RefinementSteps = Defaults.RefinementSteps;

        /// <summary>The number of starting points for fitting the surrogate's hyperparameters.</summary>
        public int HyperparameterRestarts = Defaults.HyperparameterRestarts;

        internal void Validate()
        {
            if (InitialTrials is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(InitialTrials), InitialTrials, $"InitialTrials must be at least 1 (or null). Received: InitialTrials={InitialTrials}.");
            }

            Check(CandidateCount, 1, nameof(CandidateCount));
            Check(RefinedCandidates, 0, nameof(RefinedCandidates));
            Check(RefinementSteps, 0, nameof(RefinementSteps));
            Check(HyperparameterRestarts, 1, nameof(HyperparameterRestarts));

            static void Check(int value, int minimum, string name)
            {
                if (value < minimum)
                {
                    throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {minimum}. Received: {name}={value}.");
                }
            }
        }

        /// <summary>The default option values.</summary>
        public static class Defaults
        {
            /// <summary>Automatic: <c>max(5, 2·parameters)</c>, capped at a third of the budget.</summary>
            public static readonly int? InitialTrials;

            /// <summary>1000 candidates.</summary>
            public const int CandidateCount = 1000;

            /// <summary>5 refined candidates.</summary>
            public const int RefinedCandidates = 5;

            /// <summary>30 steps.</summary>
            public const int RefinementSteps = 30;

            /// <summary>3 starts (default, previous fit, random).</summary>
            public const int HyperparameterRestarts = 3;
        }
    }
}
