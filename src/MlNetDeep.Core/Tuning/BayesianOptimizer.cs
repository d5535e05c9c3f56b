using MlNetDeep.Compute;

namespace MlNetDeep.Tuning;

/// <summary>
/// Bayesian optimization: a Gaussian-process surrogate of the objective (Matérn 5/2 with one length scale per
/// dimension, fitted by maximum marginal likelihood) and the expected-improvement acquisition, with proposals that
/// alternate between focusing, refining and exploring so that multimodal objectives do not trap it in one basin.
/// </summary>
/// <remarks>
/// <para>
/// The first trials are a Latin hypercube design (<see cref="Options.InitialTrials"/>). After that, every
/// proposal refits the surrogate to all results, with failed trials counted as the worst value seen so far,
/// scores <see cref="Options.CandidateCount"/> scrambled-Halton candidates plus the incumbent by log expected
/// improvement, and refines the best <see cref="Options.RefinedCandidates"/> of them by a shrinking random local
/// search. Points already observed or pending are never proposed again.
/// </para>
/// <para>
/// Trials after the design take turns between three searches, by trial number:
/// <list type="number">
/// <item><description><b>Focus</b>: over the whole space, with the surrogate's prior mean set
/// <see cref="PriorMeanShift"/> standard deviations above the average observed value. Far from the data the model
/// then predicts a poor value instead of an average one, so expected improvement favours the neighbourhoods of good
/// results over the unexplored edges of the space, where a mean-reverting model keeps sending trials (and where
/// bowl-shaped objectives such as Rastrigin or Levy are worst).</description></item>
/// <item><description><b>Refine</b>: inside a trust region around the incumbent, as in TuRBO (Eriksson et al.,
/// 2019): a box of side <c>L</c> in the unit cube, stretched along each dimension in proportion to the surrogate's
/// length scale there (normalized to geometric mean 1; choices keep their whole range). <c>L</c> starts at 0.8,
/// doubles (up to 1.6) after 3 improving trials in a row and halves after <c>max(4, parameters)</c> trials in a row
/// without improvement; below 2⁻⁷ it restarts at 0.8. It is replayed from the trial history, so it needs no
/// state.</description></item>
/// <item><description><b>Explore</b>: over the whole space with the prior mean at the average (no shift): the
/// classic, more exploratory expected improvement, which keeps the focused searches from settling on one local
/// minimum.</description></item>
/// </list>
/// On the benchmark functions of the repository (<c>eng/bench-tuning.sh</c>), this schedule keeps or improves the
/// regret of plain expected improvement on smooth functions (Branin, Hartmann-6) and lowers it markedly on
/// multimodal ones (Rastrigin, Levy, Michalewicz, Ackley, Styblinski–Tang).
/// </para>
/// <para>
/// Batch proposals (<see cref="HyperparameterOptimizer.Propose(int)"/>) use the kriging believer: each pending point,
/// those of earlier batches still running and those already chosen for this batch, is added to the surrogate with
/// its predicted mean as if it had been observed, which lowers the predicted uncertainty around it and steers the
/// next choice elsewhere. Everything is deterministic for a given seed.
/// </para>
/// </remarks>
public sealed class BayesianOptimizer : HyperparameterOptimizer
{
    /// <summary>
    /// The prior mean of the focused searches, in standard deviations of the observed values above their average
    /// (1.5: among 1, 1.5 and 2, all measured about equal; the exploring searches use 0).
    /// </summary>
    public const double PriorMeanShift = 1.5;

    private const double InitialTrustLength = 0.8;
    private const double MaxTrustLength = 1.6;
    private const double MinTrustLength = 1.0 / 128;
    private const int TrustSuccessTolerance = 3;

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
    /// <see cref="HyperparameterOptimizer.Minimize(Func{ParameterSet, double}, int, TimeSpan?, Action{Trial}?, CancellationToken)"/>.
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

        // The focused and refining searches share one fit (shifted prior mean), the exploring search has its own.
        var surrogates = new Surrogate?[2];
        var fitted = new bool[2];
        for (var b = 0; b < count; b++)
        {
            ParameterSet? next = null;
            var trialNumber = Observations.Count + Pending.Count + b;
            if (trialNumber < initial)
            {
                next = NextDesignPoint(initial, taken);
            }
            else
            {
                var search = (Search)((trialNumber - initial) % 3);
                var fit = search == Search.Explore ? 1 : 0;
                if (!fitted[fit])
                {
                    surrogates[fit] = FitSurrogate(search == Search.Explore ? 0 : PriorMeanShift);
                    fitted[fit] = true;
                }

                if (surrogates[fit] is { } surrogate)
                {
                    next = MaximizeAcquisition(surrogate.WithPending([.. Pending, .. batch]), taken, search == Search.Refine);
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

    /// <summary>
    /// Fits the GP to every observation (failures as the worst successful value), with its prior mean
    /// <paramref name="priorMeanShift"/> standard deviations above the average; null with fewer than two.
    /// </summary>
    private Surrogate? FitSurrogate(double priorMeanShift)
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
            gp = GaussianProcess.Fit(x, y, _random, _options.HyperparameterRestarts, _hyperparameters, priorMeanShift: priorMeanShift);
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
    /// Maximizes log EI over the whole space or, when <paramref name="local"/>, over the trust region around the
    /// incumbent: scores the incumbent and <see cref="Options.CandidateCount"/> Halton candidates (mapped into the
    /// region), refines the best few by a shrinking Gaussian random walk in the sampling coordinates (kept in the
    /// region), and returns the best point not yet observed or pending (null when every scored point is taken).
    /// </summary>
    private ParameterSet? MaximizeAcquisition(Surrogate surrogate, HashSet<ParameterSet> taken, bool local)
    {
        var dims = Space.Count;
        var features = new double[Space.FeatureCount];
        var choices = new int[dims];
        var candidates = new List<(double Score, double[] Unit)>(_options.CandidateCount + 1);
        var incumbentUnit = new double[dims];
        Space.ToUnit(surrogate.Incumbent, incumbentUnit);
        candidates.Add((Score(incumbentUnit), incumbentUnit));
        var lower = new double[dims];
        var upper = new double[dims];
        Array.Fill(upper, 1 - 1e-12);
        if (local)
        {
            TrustRegion(surrogate.Base, incumbentUnit, lower, upper);
        }

        for (var c = 0; c < _options.CandidateCount; c++)
        {
            var unit = new double[dims];
            _candidates.Next(unit);
            for (var d = 0; d < dims; d++)
            {
                unit[d] = lower[d] + (unit[d] * (upper[d] - lower[d]));
            }

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
                    trial[d] = Math.Clamp(current[d] + (step * _random.NextGaussian()), lower[d], upper[d]);
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

    /// <summary>
    /// The trust region around <paramref name="center"/> in sampling coordinates: side <see cref="TrustLength"/>
    /// along a number's coordinate, scaled by that feature's length scale over the geometric mean of the numbers'
    /// length scales; a choice keeps its whole range.
    /// </summary>
    private void TrustRegion(GaussianProcess gp, double[] center, double[] lower, double[] upper)
    {
        var lengthScales = gp.LengthScales;
        var numeric = new List<(int Parameter, int Feature)>();
        var feature = 0;
        for (var i = 0; i < Space.Count; i++)
        {
            var parameter = Space.Parameters[i];
            if (parameter.Kind == ParameterKind.Choice)
            {
                feature += parameter.Choices.Count;
                continue;
            }

            numeric.Add((i, feature++));
        }

        if (numeric.Count == 0)
        {
            return;
        }

        var meanLog = numeric.Average(n => Math.Log(lengthScales[n.Feature]));
        var length = TrustLength();
        foreach (var (i, f) in numeric)
        {
            var halfWidth = 0.5 * length * Math.Exp(Math.Log(lengthScales[f]) - meanLog);
            lower[i] = Math.Max(0, center[i] - halfWidth);
            upper[i] = Math.Min(1 - 1e-12, center[i] + halfWidth);
        }
    }

    /// <summary>
    /// The trust region's side, replayed from the trials told after the initial design in the order told: a trial
    /// improving on the best value so far by more than 0.1 % is a success, any other (failures included) a failure.
    /// </summary>
    private double TrustLength()
    {
        var initial = InitialTrialCount;
        var failureTolerance = Math.Max(4, Space.Count);
        var length = InitialTrustLength;
        var best = double.PositiveInfinity;
        int successes = 0, failures = 0;
        for (var i = 0; i < Observations.Count; i++)
        {
            var value = Observations[i].Value;
            if (i < initial)
            {
                best = double.IsNaN(value) ? best : Math.Min(best, value);
                continue;
            }

            if (value < best - (1e-3 * Math.Abs(best)))
            {
                successes++;
                failures = 0;
                best = value;
            }
            else
            {
                failures++;
                successes = 0;
            }

            if (successes == TrustSuccessTolerance)
            {
                length = Math.Min(2 * length, MaxTrustLength);
                successes = 0;
            }
            else if (failures == failureTolerance)
            {
                length /= 2;
                failures = 0;
            }

            if (length < MinTrustLength)
            {
                length = InitialTrustLength;
            }
        }

        return length;
    }

    private double[] Encode(ParameterSet parameters)
    {
        var features = new double[Space.FeatureCount];
        Space.Encode(parameters, features);
        return features;
    }

    /// <summary>The three searches trials after the design take turns between (see the type's remarks).</summary>
    private enum Search
    {
        Focus,
        Refine,
        Explore,
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
