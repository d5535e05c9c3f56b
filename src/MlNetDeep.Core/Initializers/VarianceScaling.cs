using MlNetDeep.Compute;

namespace MlNetDeep.Initializers;

/// <summary>
/// Draws weights with mean zero and variance <c>scale / fan</c>, where the fan comes from the weight shape
/// <c>[out, in]</c> (fan-in = in, fan-out = out) as chosen by <see cref="Mode"/>. Glorot/Xavier, He/Kaiming and
/// LeCun are presets of this one initializer (Keras <c>VarianceScaling</c>):
/// <list type="bullet">
/// <item>Xavier: scale 1, fan average: std <c>√(2 / (in + out))</c>, uniform limit <c>√(6 / (in + out))</c>.</item>
/// <item>He: scale 2, fan-in: std <c>√(2 / in)</c>, uniform limit <c>√(6 / in)</c>.</item>
/// <item>LeCun: scale 1, fan-in: std <c>√(1 / in)</c>, uniform limit <c>√(3 / in)</c>.</item>
/// </list>
/// </summary>
internal sealed class VarianceScaling : Initializer
{
    /// <summary>Creates the initializer; <paramref name="scale"/> must be positive and finite.</summary>
    public VarianceScaling(double scale, FanMode mode, InitializerDistribution distribution)
    {
        if (!(scale > 0) || !double.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), $"The variance scale must be positive and finite. Received: scale={scale}.");
        }

        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), $"Unknown fan mode. Received: mode={mode}.");
        }

        if (!Enum.IsDefined(distribution))
        {
            throw new ArgumentOutOfRangeException(nameof(distribution), $"Unknown distribution. Received: distribution={distribution}.");
        }

        Scale = scale;
        Mode = mode;
        Distribution = distribution;
    }

    /// <summary>The numerator of the variance, <c>variance = Scale / fan</c>.</summary>
    public double Scale { get; }

    /// <summary>Which fan divides the scale.</summary>
    public FanMode Mode { get; }

    /// <summary>The distribution drawn from.</summary>
    public InitializerDistribution Distribution { get; }

    /// <summary>Glorot uniform: <c>U(±√(6 / (in + out)))</c>.</summary>
    public static VarianceScaling XavierUniform() => new(1, FanMode.FanAverage, InitializerDistribution.Uniform);

    /// <summary>Glorot normal: std <c>√(2 / (in + out))</c>.</summary>
    public static VarianceScaling XavierNormal() => new(1, FanMode.FanAverage, InitializerDistribution.Normal);

    /// <summary>Kaiming uniform: <c>U(±√(6 / in))</c>.</summary>
    public static VarianceScaling HeUniform() => new(2, FanMode.FanIn, InitializerDistribution.Uniform);

    /// <summary>Kaiming normal: std <c>√(2 / in)</c>.</summary>
    public static VarianceScaling HeNormal() => new(2, FanMode.FanIn, InitializerDistribution.Normal);

    /// <summary>LeCun uniform: <c>U(±√(3 / in))</c>.</summary>
    public static VarianceScaling LeCunUniform() => new(1, FanMode.FanIn, InitializerDistribution.Uniform);

    /// <summary>LeCun normal: std <c>√(1 / in)</c> (the initializer of self-normalizing SELU networks).</summary>
    public static VarianceScaling LeCunNormal() => new(1, FanMode.FanIn, InitializerDistribution.Normal);

    /// <summary>The standard deviation drawn for the given fans, <c>√(Scale / fan)</c>.</summary>
    public double StandardDeviation(int fanIn, int fanOut)
    {
        var fan = Mode switch
        {
            FanMode.FanIn => fanIn,
            FanMode.FanOut => fanOut,
            _ => (fanIn + fanOut) / 2.0,
        };
        return Math.Sqrt(Scale / Math.Max(1.0, fan));
    }

    /// <inheritdoc/>
    protected override void Fill(Span<float> values, int fanIn, int fanOut, RandomGenerator random)
    {
        var std = StandardDeviation(fanIn, fanOut);
        switch (Distribution)
        {
            case InitializerDistribution.Normal:
                FillNormal(values, std, random);
                break;
            case InitializerDistribution.TruncatedNormal:
                FillTruncatedNormal(values, std, random);
                break;
            default:
                FillUniform(values, Math.Sqrt(3) * std, random);
                break;
        }
    }
}
