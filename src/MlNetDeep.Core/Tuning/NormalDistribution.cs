using System.Runtime.CompilerServices;

namespace MlNetDeep.Tuning;

/// <summary>
/// The standard normal density φ, distribution Φ and the complementary error function, accurate to about
/// 1e-14 relative over the whole line (.NET has no <c>erf</c>).
/// </summary>
internal static class NormalDistribution
{
    /// <summary><c>½·log(2π)</c>.</summary>
    internal const double HalfLogTwoPi = 0.91893853320467274178;

    private const double InverseSqrtTwoPi = 0.39894228040143267794;
    private const double InverseSqrtPi = 0.56418958354775628695;

    /// <summary><c>φ(z) = exp(−z²/2) / √(2π)</c>.</summary>
    public static double Pdf(double z) => InverseSqrtTwoPi * Math.Exp(-0.5 * z * z);

    /// <summary><c>Φ(z) = ½·erfc(−z/√2)</c>, accurate in relative terms deep in the lower tail.</summary>
    public static double Cdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>
    /// <c>erfc(x) = 1 − erf(x)</c>: for <c>|x| &lt; 2.5</c> from the series
    /// <c>erf(x) = (2/√π)·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3···(2n+1))</c> (all terms positive), beyond from the continued
    /// fraction <c>erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …))))</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        if (x < 2.5)
        {
            var term = x;
            var sum = x;
            var x2 = x * x;
            for (var n = 1; n < 200 && term > 1e-17 * sum; n++)
            {
                term *= 2 * x2 / ((2 * n) + 1);
                sum += term;
            }

            return 1 - (2 * InverseSqrtPi * Math.Exp(-x2) * sum);
        }

        if (x > 27)
        {
            return 0;
        }

        var fraction = x;
        for (var k = 60; k >= 1; k--)
        {
            fraction = x + (0.5 * k / fraction);
        }

        return InverseSqrtPi * Math.Exp(-x * x) / fraction;
    }
}
