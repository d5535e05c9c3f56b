using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

namespace MlNetDeep.Tuning;

/// <summary>
/// A Gaussian-process regression surrogate on the unit cube.
/// <para>
/// Kernel: Matérn 5/2 with one length scale per input dimension (ARD) and a signal variance,
/// <c>k(x, x') = s²·(1 + √5·r + 5r²/3)·exp(−√5·r)</c>, <c>r² = Σ_d (x_d − x'_d)²/ℓ_d²</c>, plus a noise variance
/// <c>σₙ²</c> on the diagonal. Targets are standardized before fitting: divided by their standard deviation, after
/// subtracting the constant prior mean, which is their average shifted by <c>priorMeanShift</c> standard deviations
/// (0 by default; a positive shift makes the model predict values worse than the average far from the data).
/// </para>
/// <para>
/// Hyperparameters <c>θ = (log ℓ_1..log ℓ_D, log s², log σₙ²)</c> are fitted by maximizing the log marginal
/// likelihood <c>log p(y|θ) = −½yᵀK⁻¹y − ½log|K| − (n/2)log 2π</c> plus a weak log-normal prior
/// <c>log ℓ_d ~ N(log 0.5, 1)</c> that keeps length scales sensible with few points. Each is kept inside its box
/// by <c>θ = lo + (hi − lo)·sigmoid(u)</c>, and <c>u</c> is optimized with L-BFGS from several starts using the
/// analytic gradient <c>∂ log p/∂θ_j = ½·tr((ααᵀ − K⁻¹)·∂K/∂θ_j)</c>, <c>α = K⁻¹y</c>. The Cholesky
/// factorization retries with increasing diagonal jitter when <c>K</c> is numerically singular.
/// </para>
/// </summary>
internal sealed class GaussianProcess
{
    /// <summary>Box of <c>log ℓ</c>: length scales from 0.01 to 20 unit-cube widths.</summary>
    internal static readonly (double Lo, double Hi) LogLengthScaleBounds = (Math.Log(0.01), Math.Log(20));

    /// <summary>Box of <c>log s²</c> (targets are standardized).</summary>
    internal static readonly (double Lo, double Hi) LogSignalBounds = (Math.Log(0.05), Math.Log(20));

    /// <summary>Box of <c>log σₙ²</c>: from effectively noise-free to half the target variance.</summary>
    internal static readonly (double Lo, double Hi) LogNoiseBounds = (Math.Log(1e-6), Math.Log(0.5));

    private const double PriorMean = -0.6931471805599453; // log 0.5
    private const double PriorVariance = 1.0;
    private static readonly double Sqrt5 = Math.Sqrt(5);

    private readonly double[][] _x;
    private readonly double[] _y;
    private readonly double[] _inverseLengthSquared;
    private readonly double[] _cholesky;
    private readonly double[] _alpha;
    private readonly double _signal;

    private GaussianProcess(double[][] x, double[] y, double targetMean, double targetScale, double[] unconstrained)
    {
        _x = x;
        _y = y;
        TargetMean = targetMean;
        TargetScale = targetScale;
        Unconstrained = unconstrained;
        var dims = x[0].Length;
        _inverseLengthSquared = new double[dims];
        for (var d = 0; d < dims; d++)
        {
            _inverseLengthSquared[d] = Math.Exp(-2 * Constrain(unconstrained[d], LogLengthScaleBounds));
        }

        _signal = Math.Exp(Constrain(unconstrained[dims], LogSignalBounds));
        NoiseVariance = Math.Exp(Constrain(unconstrained[dims + 1], LogNoiseBounds));
        var n = x.Length;
        _cholesky = new double[n * n];
        BuildCovariance(x, _inverseLengthSquared, _signal, NoiseVariance, _cholesky);
        if (!CholeskyWithJitter(_cholesky, n, _signal))
        {
            throw new InvalidOperationException("The Gaussian process covariance could not be factorized even with jitter.");
        }

        _alpha = (double[])y.Clone();
        SolveLower(_cholesky, n, _alpha);
        SolveUpper(_cholesky, n, _alpha);
    }

    /// <summary>The mean subtracted from the targets: the GP's constant prior mean.</summary>
    public double TargetMean { get; }

    /// <summary>The standard deviation the targets were divided by.</summary>
    public double TargetScale { get; }

    /// <summary>The fitted hyperparameters in the unconstrained space the optimizer works in (length D + 2).</summary>
    public double[] Unconstrained { get; }

    /// <summary>The length scales ℓ_d.</summary>
    public double[] LengthScales => [.. _inverseLengthSquared.Select(v => 1 / Math.Sqrt(v))];

    /// <summary>The signal variance s² (standardized units).</summary>
    public double SignalVariance => _signal;

    /// <summary>The noise variance σₙ² (standardized units).</summary>
    public double NoiseVariance { get; }

    /// <summary>The standardized training targets.</summary>
    public IReadOnlyList<double> StandardizedTargets => _y;

    /// <summary>
    /// Fits a GP to points <paramref name="x"/> (n × D, in the unit cube) and targets <paramref name="y"/>,
    /// maximizing the log posterior from <paramref name="restarts"/> starting points: a default start,
    /// <paramref name="warmStart"/> when given (the previous fit), and random starts from <paramref name="random"/>.
    /// The prior mean is the targets' average plus <paramref name="priorMeanShift"/> standard deviations.
    /// </summary>
    public static GaussianProcess Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, RandomGenerator random, int restarts = 3, double[]? warmStart = null, int maxIterations = 60, double priorMeanShift = 0)
    {
        var n = x.Count;
        var points = x.Select(p => (double[])p.Clone()).ToArray();
        var average = y.Average();
        var variance = y.Sum(v => (v - average) * (v - average)) / n;
        var scale = variance > 1e-24 ? Math.Sqrt(variance) : 1.0;
        var mean = average + (priorMeanShift * scale);
        var targets = y.Select(v => (v - mean) / scale).ToArray();
        var dims = points[0].Length;

        var starts = new List<double[]>();
        var initial = new double[dims + 2];
        Array.Fill(initial, Unconstrain(Math.Log(0.3), LogLengthScaleBounds), 0, dims);
        initial[dims] = Unconstrain(0, LogSignalBounds);
        initial[dims + 1] = Unconstrain(Math.Log(1e-3), LogNoiseBounds);
        starts.Add(initial);
        if (warmStart is not null && warmStart.Length == dims + 2)
        {
            starts.Add((double[])warmStart.Clone());
        }

        while (starts.Count < Math.Max(1, restarts))
        {
            var start = new double[dims + 2];
            for (var i = 0; i < start.Length; i++)
            {
                start[i] = (4 * random.NextDouble()) - 2;
            }

            starts.Add(start);
        }

        var objective = new LogPosterior(points, targets);
        double[]? best = null;
        var bestValue = double.PositiveInfinity;
        foreach (var start in starts)
        {
            var value = Lbfgs.Minimize(objective.Evaluate, start, maxIterations);
            if (value < bestValue)
            {
                bestValue = value;
                best = start;
            }
        }

        return new GaussianProcess(points, targets, mean, scale, best ?? initial);
    }

    /// <summary>
    /// The same GP (same hyperparameters and target standardization) conditioned on extra points with
    /// standardized targets: used to fantasize pending trials (kriging believer).
    /// </summary>
    public GaussianProcess WithExtraPoints(IReadOnlyList<double[]> x, IReadOnlyList<double> standardizedY)
    {
        var points = _x.Concat(x.Select(p => (double[])p.Clone())).ToArray();
        var targets = _y.Concat(standardizedY).ToArray();
        return new GaussianProcess(points, targets, TargetMean, TargetScale, Unconstrained);
    }

    /// <summary>Posterior mean and variance of the latent function at <paramref name="point"/>, in standardized units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double Mean, double Variance) PredictStandardized(ReadOnlySpan<double> point, Span<double> scratch)
    {
        var n = _x.Length;
        var k = scratch[..n];
        for (var i = 0; i < n; i++)
        {
            var r = Math.Sqrt(SquaredDistance(point, _x[i], _inverseLengthSquared));
            k[i] = _signal * (1 + (Sqrt5 * r) + (5.0 / 3 * r * r)) * Math.Exp(-Sqrt5 * r);
        }

        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            mean += k[i] * _alpha[i];
        }

        // v = L⁻¹k; variance = s² − vᵀv.
        var quad = 0.0;
        for (var i = 0; i < n; i++)
        {
            var sum = k[i];
            var row = i * n;
            for (var j = 0; j < i; j++)
            {
                sum -= _cholesky[row + j] * k[j];
            }

            k[i] = sum / _cholesky[row + i];
            quad += k[i] * k[i];
        }

        return (mean, Math.Max(_signal - quad, 0));
    }

    /// <summary>Posterior mean and variance of the latent function at <paramref name="point"/>, in the targets' units.</summary>
    public (double Mean, double Variance) Predict(ReadOnlySpan<double> point)
    {
        var (mean, variance) = PredictStandardized(point, new double[_x.Length]);
        return ((mean * TargetScale) + TargetMean, variance * TargetScale * TargetScale);
    }

    /// <summary>
    /// The negative log posterior of the unconstrained hyperparameters <paramref name="u"/> (length D + 2) and its
    /// gradient; +∞ when the covariance cannot be factorized.
    /// </summary>
    internal static double NegativeLogPosterior(ReadOnlySpan<double> u, double[][] x, double[] y, Span<double> gradient) =>
        new LogPosterior(x, y).Evaluate(u, gradient);

    /// <summary>
    /// The fitting objective for one data set, with the squared coordinate differences of every pair precomputed
    /// and all work buffers allocated once, so the optimizer's many evaluations only do arithmetic.
    /// </summary>
    private sealed class LogPosterior
    {
        private readonly int _n;
        private readonly int _dims;
        private readonly double[] _y;
        private readonly double[] _squaredDifferences; // pair p = i(i−1)/2 + j (j < i): (x_id − x_jd)² at p·D + d
        private readonly double[] _inverseLengthSquared;
        private readonly double[] _kernel;     // s²·m(r_ij) per pair
        private readonly double[] _factor;     // G_ij = s²·(5/3)(1 + √5r)e^(−√5r) per pair
        private readonly double[] _matrix;     // n × n: K, then its Cholesky factor L, then L⁻¹ (lower triangles)
        private readonly double[] _original;
        private readonly double[] _alpha;

        public LogPosterior(double[][] x, double[] y)
        {
            _n = x.Length;
            _dims = x[0].Length;
            _y = y;
            var pairs = _n * (_n - 1) / 2;
            _squaredDifferences = new double[pairs * _dims];
            for (int i = 1, p = 0; i < _n; i++)
            {
                for (var j = 0; j < i; j++, p++)
                {
                    for (var d = 0; d < _dims; d++)
                    {
                        var diff = x[i][d] - x[j][d];
                        _squaredDifferences[(p * _dims) + d] = diff * diff;
                    }
                }
            }

            _inverseLengthSquared = new double[_dims];
            _kernel = new double[pairs];
            _factor = new double[pairs];
            _matrix = new double[_n * _n];
            _original = new double[_n * _n];
            _alpha = new double[_n];
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public double Evaluate(ReadOnlySpan<double> u, Span<double> gradient)
        {
            int n = _n, dims = _dims;
            var logPrior = 0.0;
            for (var d = 0; d < dims; d++)
            {
                var logLength = Constrain(u[d], LogLengthScaleBounds);
                _inverseLengthSquared[d] = Math.Exp(-2 * logLength);
                logPrior -= 0.5 * (logLength - PriorMean) * (logLength - PriorMean) / PriorVariance;
            }

            var signal = Math.Exp(Constrain(u[dims], LogSignalBounds));
            var noise = Math.Exp(Constrain(u[dims + 1], LogNoiseBounds));
            var inverseLengthSquared = _inverseLengthSquared.AsSpan();
            for (int i = 0, p = 0; i < n; i++)
            {
                for (var j = 0; j < i; j++, p++)
                {
                    var r = Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(_squaredDifferences.AsSpan(p * dims, dims), inverseLengthSquared));
                    var e = Math.Exp(-Sqrt5 * r);
                    _kernel[p] = signal * (1 + (Sqrt5 * r) + (5.0 / 3 * r * r)) * e;
                    _factor[p] = signal * (5.0 / 3) * (1 + (Sqrt5 * r)) * e;
                    _matrix[(i * n) + j] = _kernel[p];
                }

                _matrix[(i * n) + i] = signal + noise;
            }

            if (!CholeskyWithJitter(_matrix, n, signal, _original))
            {
                return double.PositiveInfinity;
            }

            _y.CopyTo(_alpha, 0);
            SolveLower(_matrix, n, _alpha);
            SolveUpper(_matrix, n, _alpha);
            var logLikelihood = -n * NormalDistribution.HalfLogTwoPi;
            for (var i = 0; i < n; i++)
            {
                logLikelihood -= (0.5 * _y[i] * _alpha[i]) + Math.Log(_matrix[(i * n) + i]);
            }

            // L⁻¹ in place (lower triangle), then (K⁻¹)_ij = Σ_{k ≥ i} (L⁻¹)_ki·(L⁻¹)_kj for j ≤ i.
            InvertLower(_matrix, n);
            gradient.Clear();
            var traceW = 0.0;
            var signalGradient = 0.0;
            for (int i = 0, p = 0; i < n; i++)
            {
                for (var j = 0; j <= i; j++)
                {
                    var inverse = 0.0;
                    for (var k = i; k < n; k++)
                    {
                        inverse += _matrix[(k * n) + i] * _matrix[(k * n) + j];
                    }

                    // W = ααᵀ − K⁻¹; ∂ log p/∂θ = ½ tr(W ∂K/∂θ), off-diagonal pairs counted twice.
                    var w = (_alpha[i] * _alpha[j]) - inverse;
                    if (i == j)
                    {
                        traceW += w;
                        signalGradient += 0.5 * w * signal;
                        continue;
                    }

                    signalGradient += w * _kernel[p];
                    var common = w * _factor[p];
                    var differences = _squaredDifferences.AsSpan(p * dims, dims);
                    for (var d = 0; d < dims; d++)
                    {
                        gradient[d] += common * differences[d];
                    }

                    p++;
                }
            }

            for (var d = 0; d < dims; d++)
            {
                var logLength = Constrain(u[d], LogLengthScaleBounds);
                var total = (gradient[d] * _inverseLengthSquared[d]) - ((logLength - PriorMean) / PriorVariance);
                gradient[d] = -total * ConstrainDerivative(u[d], LogLengthScaleBounds);
            }

            gradient[dims] = -signalGradient * ConstrainDerivative(u[dims], LogSignalBounds);
            gradient[dims + 1] = -0.5 * noise * traceW * ConstrainDerivative(u[dims + 1], LogNoiseBounds);
            return -(logLikelihood + logPrior);
        }

        // Inverts a lower-triangular matrix in place (row-major): column by column, forward substitution.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void InvertLower(double[] l, int n)
        {
            for (var i = 0; i < n; i++)
            {
                l[(i * n) + i] = 1 / l[(i * n) + i];
            }

            for (var j = 0; j < n; j++)
            {
                for (var i = j + 1; i < n; i++)
                {
                    var sum = 0.0;
                    for (var k = j; k < i; k++)
                    {
                        sum += l[(i * n) + k] * l[(k * n) + j];
                    }

                    l[(i * n) + j] = -sum * l[(i * n) + i];
                }
            }
        }
    }

    /// <summary>Maps an unconstrained value into its box: <c>lo + (hi − lo)·sigmoid(u)</c>.</summary>
    internal static double Constrain(double u, (double Lo, double Hi) bounds) => bounds.Lo + ((bounds.Hi - bounds.Lo) / (1 + Math.Exp(-u)));

    /// <summary>The inverse of <see cref="Constrain"/>.</summary>
    internal static double Unconstrain(double value, (double Lo, double Hi) bounds)
    {
        var p = Math.Clamp((value - bounds.Lo) / (bounds.Hi - bounds.Lo), 1e-9, 1 - 1e-9);
        return Math.Log(p / (1 - p));
    }

    private static double ConstrainDerivative(double u, (double Lo, double Hi) bounds)
    {
        var s = 1 / (1 + Math.Exp(-u));
        return (bounds.Hi - bounds.Lo) * s * (1 - s);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SquaredDistance(ReadOnlySpan<double> a, double[] b, double[] inverseLengthSquared)
    {
        var sum = 0.0;
        for (var d = 0; d < b.Length; d++)
        {
            var diff = a[d] - b[d];
            sum += diff * diff * inverseLengthSquared[d];
        }

        return sum;
    }

    /// <summary>Fills the full covariance <c>K + σₙ²I</c> (row-major n × n).</summary>
    private static void BuildCovariance(double[][] x, double[] inverseLengthSquared, double signal, double noise, double[] k)
    {
        var n = x.Length;
        for (var i = 0; i < n; i++)
        {
            k[(i * n) + i] = signal + noise;
            for (var j = 0; j < i; j++)
            {
                var r = Math.Sqrt(SquaredDistance(x[i], x[j], inverseLengthSquared));
                var e = Math.Exp(-Sqrt5 * r);
                var value = signal * (1 + (Sqrt5 * r) + (5.0 / 3 * r * r)) * e;
                k[(i * n) + j] = value;
                k[(j * n) + i] = value;
            }
        }
    }

    /// <summary>
    /// In-place Cholesky factorization (lower triangle, row-major); on failure retries on the original matrix
    /// with diagonal jitter 1e-10·s², 1e-9·s², … up to 1e-3·s². The upper triangle is left untouched.
    /// </summary>
    private static bool CholeskyWithJitter(double[] matrix, int n, double scale, double[]? backup = null)
    {
        var original = backup ?? new double[matrix.Length];
        matrix.CopyTo(original, 0);
        var jitter = 0.0;
        for (var attempt = 0; attempt < 9; attempt++)
        {
            if (attempt > 0)
            {
                jitter = jitter == 0 ? 1e-10 * scale : jitter * 10;
                original.CopyTo(matrix, 0);
                for (var i = 0; i < n; i++)
                {
                    matrix[(i * n) + i] += jitter;
                }
            }

            if (Cholesky(matrix, n))
            {
                return true;
            }
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Cholesky(double[] a, int n)
    {
        for (var j = 0; j < n; j++)
        {
            var rowJ = j * n;
            var sum = a[rowJ + j];
            for (var k = 0; k < j; k++)
            {
                sum -= a[rowJ + k] * a[rowJ + k];
            }

            if (!(sum > 0))
            {
                return false;
            }

            var diagonal = Math.Sqrt(sum);
            a[rowJ + j] = diagonal;
            for (var i = j + 1; i < n; i++)
            {
                var rowI = i * n;
                var s = a[rowI + j];
                for (var k = 0; k < j; k++)
                {
                    s -= a[rowI + k] * a[rowJ + k];
                }

                a[rowI + j] = s / diagonal;
            }
        }

        return true;
    }

    // Solves L·z = b in place (L lower, row-major).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SolveLower(double[] l, int n, double[] b)
    {
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= l[(i * n) + k] * b[k];
            }

            b[i] = sum / l[(i * n) + i];
        }
    }

    // Solves Lᵀ·z = b in place.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SolveUpper(double[] l, int n, double[] b)
    {
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= l[(k * n) + i] * b[k];
            }

            b[i] = sum / l[(i * n) + i];
        }
    }
}
