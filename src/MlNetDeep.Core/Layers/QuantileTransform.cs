namespace MlNetDeep.Layers;

/// <summary>
/// Maps each feature through its empirical quantiles to a standard normal, <see cref="InputTransform.Quantile"/>: the
/// buffer <c>input.quantiles [features, QuantileCount]</c> holds each feature's training quantiles at the probabilities
/// <c>j / (QuantileCount − 1)</c>; a value gets its interpolated probability (the middle of a run of equal quantiles;
/// 0 at or below the first quantile and 1 at or above the last, as scikit-learn does), clipped to [10⁻⁷, 1 − 10⁻⁷],
/// then the normal quantile function.
/// </summary>
/// <remarks>
/// It is the network's first layer, fitted before training and fixed, so backward has no parameter gradient and is
/// never asked for an input gradient. Shapes: <c>x, y [batch, features]</c>.
/// </remarks>
internal sealed class QuantileTransform : Layer
{
    /// <summary>Quantiles kept per feature (scikit-learn's default <c>n_quantiles</c>).</summary>
    public const int QuantileCount = 1000;

    /// <summary>The probabilities are kept this far inside (0, 1), so the output stays finite (about ±5.2).</summary>
    public const double ProbabilityBound = 1e-7;

    private readonly ParameterSpec[] _buffers;
    private TensorView _quantiles;

    /// <summary>Creates the transform of rows of <paramref name="features"/> values.</summary>
    public QuantileTransform(int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        InputSize = features;
        _buffers = [new ParameterSpec("input.quantiles", [features, QuantileCount], ParameterRole.FittedStatistic)];
    }

    /// <inheritdoc/>
    public override int InputSize { get; }

    /// <inheritdoc/>
    public override int OutputSize => InputSize;

    /// <summary><c>input.quantiles [features, QuantileCount]</c>.</summary>
    public override IReadOnlyList<ParameterSpec> Buffers => _buffers;

    /// <summary>The quantiles, <c>[features, QuantileCount]</c>, written by the trainer when it fits the transform.</summary>
    public Span<float> Quantiles => _quantiles.Span;

    /// <inheritdoc/>
    public override void Bind(TensorView[] parameters, TensorView[] gradients, TensorView[] buffers)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        if (buffers.Length != 1 || buffers[0].Length != _buffers[0].Length)
        {
            throw new ArgumentException($"QuantileTransform of {InputSize} features: expected one buffer of {_buffers[0].Length} values.");
        }

        _quantiles = buffers[0];
    }

    /// <summary>The transform maps every row on its own, in training and at inference.</summary>
    public override bool IsRowwise(LayerContext context) => true;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
        => ForwardRows(input, output, batch);

    /// <inheritdoc/>
    public override void ForwardRows(ReadOnlySpan<float> input, Span<float> output, int rows)
    {
        ReadOnlySpan<float> quantiles = _quantiles.Span;
        for (var r = 0; r < rows; r++)
        {
            for (var f = 0; f < InputSize; f++)
            {
                var i = (r * InputSize) + f;
                output[i] = (float)Map(input[i], quantiles.Slice(f * QuantileCount, QuantileCount));
            }
        }
    }

    /// <summary>Maps <paramref name="x"/> through the sorted <paramref name="quantiles"/> of one feature to a standard normal value.</summary>
    public static double Map(float x, ReadOnlySpan<float> quantiles)
    {
        var last = quantiles.Length - 1;
        double probability;
        if (float.IsNaN(x))
        {
            return double.NaN;
        }

        if (x <= quantiles[0])
        {
            // As scikit-learn: the smallest and largest training values map to the bounds, even when repeated.
            probability = 0;
        }
        else if (x >= quantiles[last])
        {
            probability = 1;
        }
        else
        {
            // The first quantile not below x; quantiles[low - 1] < x.
            var low = quantiles.BinarySearch(x);
            if (low >= 0)
            {
                probability = Probability(LowerEnd(quantiles, low, x), UpperEnd(quantiles, low, x), last);
            }
            else
            {
                var above = ~low;
                var below = above - 1;
                var fraction = (x - (double)quantiles[below]) / (quantiles[above] - (double)quantiles[below]);
                probability = (below + fraction) / last;
            }
        }

        return NormalQuantile(Math.Clamp(probability, ProbabilityBound, 1 - ProbabilityBound));
    }

    /// <summary>The middle probability of the run of quantiles <c>[first, lastIndex]</c> equal to a value.</summary>
    private static double Probability(int first, int lastIndex, int last) => (first + lastIndex) * 0.5 / last;

    private static int LowerEnd(ReadOnlySpan<float> quantiles, int index, float x)
    {
        while (index > 0 && quantiles[index - 1] == x)
        {
            index--;
        }

        return index;
    }

    private static int UpperEnd(ReadOnlySpan<float> quantiles, int index, float x)
    {
        while (index < quantiles.Length - 1 && quantiles[index + 1] == x)
        {
            index++;
        }

        return index;
    }

    /// <summary>
    /// The standard normal quantile function Φ⁻¹(p) for p in (0, 1), by Wichura's algorithm AS 241 (PPND16, relative
    /// error about 10⁻¹⁶).
    /// </summary>
    public static double NormalQuantile(double p)
    {
        var q = p - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            var r = 0.180625 - (q * q);
            return q * Polynomial(CentralNumerator, r) / Polynomial(CentralDenominator, r);
        }

        var s = Math.Sqrt(-Math.Log(q < 0 ? p : 1 - p));
        var value = s <= 5
            ? Polynomial(NearNumerator, s - 1.6) / Polynomial(NearDenominator, s - 1.6)
            : Polynomial(FarNumerator, s - 5) / Polynomial(FarDenominator, s - 5);
        return q < 0 ? -value : value;
    }

    internal static readonly double[] CentralNumerator =
    [
        3.3871328727963666080, 1.3314166789178437745e2, 1.9715909503065514427e3, 1.3731693765509461125e4,
        4.5921953931549871457e4, 6.7265770927008700853e4, 3.3430575583588128105e4, 2.5090809287301226727e3,
    ];

    internal static readonly double[] CentralDenominator =
    [
        1.0, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
        2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4, 5.2264952788528545610e3,
    ];

    internal static readonly double[] NearNumerator =
    [
        1.42343711074968357734, 4.63033784615654529590, 5.76949722146069140550, 3.64784832476320460504,
        1.27045825245236838258, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4,
    ];

    internal static readonly double[] NearDenominator =
    [
        1.0, 2.05319162663775882187, 1.67638483018380384940, 6.89767334985100004550e-1,
        1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9,
    ];

    internal static readonly double[] FarNumerator =
    [
        6.65790464350110377720, 5.46378491116411436990, 1.78482653991729133580, 2.96560571828504891230e-1,
        2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
    ];

    internal static readonly double[] FarDenominator =
    [
        1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
        7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15,
    ];

    /// <summary>Σ coefficients[i]·xⁱ by Horner's rule.</summary>
    private static double Polynomial(double[] coefficients, double x)
    {
        var sum = 0.0;
        for (var i = coefficients.Length - 1; i >= 0; i--)
        {
            sum = (sum * x) + coefficients[i];
        }

        return sum;
    }

    /// <inheritdoc/>
    public override void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient,
        int batch,
        LayerContext context)
    {
        if (!inputGradient.IsEmpty)
        {
            throw new InvalidOperationException("The quantile transform is the network's first layer and has no input gradient.");
        }
    }
}
