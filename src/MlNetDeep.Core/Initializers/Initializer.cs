using MlNetDeep.Compute;

namespace MlNetDeep.Initializers;

/// <summary>
/// Fills a tensor with its starting values. Random initializers draw from a <see cref="RandomGenerator"/>,
/// so the same seed gives the same weights.
/// </summary>
internal abstract class Initializer
{
    /// <summary>
    /// Fills <paramref name="values"/>, a tensor of shape <paramref name="shape"/> (a weight is <c>[out, in]</c>),
    /// drawing from <paramref name="random"/> where the initializer is random.
    /// </summary>
    public void Initialize(Span<float> values, ReadOnlySpan<int> shape, RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var (fanIn, fanOut) = Fans(shape);
        var length = 1L;
        foreach (var dimension in shape)
        {
            length *= dimension;
        }

        if (length != values.Length)
        {
            throw new ArgumentException($"A tensor of shape [{string.Join(", ", shape.ToArray())}] has {length} values, but {values.Length} were given.", nameof(values));
        }

        Fill(values, fanIn, fanOut, random);
    }

    /// <summary>
    /// The fans of a tensor shape, PyTorch and Keras convention: a weight <c>[out, in, …]</c> has
    /// fan-in <c>in·r</c> and fan-out <c>out·r</c>, where <c>r</c> is the product of the trailing (receptive
    /// field) dimensions; a vector <c>[n]</c> has fan-in = fan-out = n; a scalar has fans of one.
    /// </summary>
    public static (int FanIn, int FanOut) Fans(ReadOnlySpan<int> shape)
    {
        foreach (var dimension in shape)
        {
            if (dimension <= 0)
            {
                throw new ArgumentException($"Every dimension of a tensor shape must be positive. Received: shape=[{string.Join(", ", shape.ToArray())}].", nameof(shape));
            }
        }

        switch (shape.Length)
        {
            case 0:
                return (1, 1);
            case 1:
                return (shape[0], shape[0]);
            default:
                var receptiveField = 1;
                for (var i = 2; i < shape.Length; i++)
                {
                    receptiveField *= shape[i];
                }

                return (shape[1] * receptiveField, shape[0] * receptiveField);
        }
    }

    /// <summary>Writes the values, given the fans already taken from the shape.</summary>
    protected abstract void Fill(Span<float> values, int fanIn, int fanOut, RandomGenerator random);

    /// <summary>Fills <paramref name="values"/> with draws from N(0, <paramref name="std"/>²).</summary>
    protected static void FillNormal(Span<float> values, double std, RandomGenerator random)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(std * random.NextGaussian());
        }
    }

    /// <summary>
    /// Fills <paramref name="values"/> with draws from a normal truncated at ±2 of its scale parameter, that
    /// parameter chosen so the truncated distribution has standard deviation <paramref name="std"/>.
    /// </summary>
    protected static void FillTruncatedNormal(Span<float> values, double std, RandomGenerator random)
    {
        var scale = std / TruncatedStandardNormalStd;
        for (var i = 0; i < values.Length; i++)
        {
            double z;
            do
            {
                z = random.NextGaussian();
            }
            while (Math.Abs(z) > 2);

            values[i] = (float)(scale * z);
        }
    }

    /// <summary>Fills <paramref name="values"/> with draws from U(−<paramref name="limit"/>, <paramref name="limit"/>).</summary>
    protected static void FillUniform(Span<float> values, double limit, RandomGenerator random)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(limit * ((2 * random.NextDouble()) - 1));
        }
    }

    /// <summary>The standard deviation of a standard normal truncated to [−2, 2].</summary>
    private const double TruncatedStandardNormalStd = 0.87962566103423978;
}
