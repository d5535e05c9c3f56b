using System.Runtime.CompilerServices;

namespace MlNetDeep.Tuning;

/// <summary>
/// Expected improvement for minimization, <c>EI = E[max(best − f, 0)]</c> with <c>f ~ N(μ, σ²)</c>:
/// <c>EI = σ·h(z)</c>, <c>z = (best − μ)/σ</c>, <c>h(z) = φ(z) + z·Φ(z)</c>. Computed as <c>log EI</c> so that
/// candidates far from any improvement (where EI underflows to 0) can still be ranked.
/// </summary>
internal static class ExpectedImprovement
{
    /// <summary>The smallest standard deviation the formula divides by; below it EI is <c>max(best − μ, 0)</c>.</summary>
    private const double MinSigma = 1e-12;

    /// <summary><c>EI(μ, σ, best)</c> itself (may underflow to 0 in the far tail).</summary>
    public static double Value(double mean, double sigma, double best) => Math.Exp(Log(mean, sigma, best));

    /// <summary>
    /// <c>log EI = log σ + log h(z)</c>. For <c>z ≥ −4</c>, <c>h</c> is evaluated directly (at most one digit lost to
    /// cancellation). Below, <c>h(z) = φ(z)·(1 − |z|·R(|z|))</c> with Mills' ratio
    /// <c>R(x) = Φ(−x)/φ(x) = 1/(x + t)</c>, <c>t = 1/(x + 2/(x + 3/(x + …)))</c>, so
    /// <c>1 − x·R(x) = t/(x + t)</c> without cancellation and <c>log h = log φ(z) + log t − log(x + t)</c>.
    /// </summary>
    public static double Log(double mean, double sigma, double best)
    {
        if (!(sigma > MinSigma))
        {
            var gain = best - mean;
            return gain > 0 ? Math.Log(gain) : double.NegativeInfinity;
        }

        return Math.Log(sigma) + LogH((best - mean) / sigma);
    }

    /// <summary><c>log(φ(z) + z·Φ(z))</c>, finite for every finite <paramref name="z"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LogH(double z)
    {
        if (z >= -4)
        {
            return Math.Log(NormalDistribution.Pdf(z) + (z * NormalDistribution.Cdf(z)));
        }

        var x = -z;
        var tail = x;
        for (var k = 80; k >= 2; k--)
        {
            tail = x + (k / tail);
        }

        var t = 1 / tail;
        return (-0.5 * z * z) - NormalDistribution.HalfLogTwoPi + Math.Log(t) - Math.Log(x + t);
    }
}
