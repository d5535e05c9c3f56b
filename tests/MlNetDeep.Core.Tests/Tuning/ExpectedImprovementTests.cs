using MlNetDeep.Tuning;
using Xunit;

namespace MlNetDeep.Tests.Tuning;

public class ExpectedImprovementTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.841344746068542948585)]
    [InlineData(-1.0, 0.158655253931457051415)]
    [InlineData(-3.0, 1.34989803163009452665e-3)]
    [InlineData(-5.0, 2.86651571879193911674e-7)]
    [InlineData(-10.0, 7.61985302416052606597e-24)]
    [InlineData(-30.0, 4.90671392714818705953e-198)]
    [InlineData(2.5, 0.993790334674223864833)]
    public void CdfMatchesReferenceValues(double z, double expected)
    {
        var actual = NormalDistribution.Cdf(z);
        Assert.True(Math.Abs(actual - expected) <= 2e-13 * expected, $"Φ({z}) = {actual:R}, expected {expected:R}");
    }

    [Theory]
    [InlineData(0.0, 1.0, 0.5)]
    [InlineData(0.3, 0.2, 0.0)]
    [InlineData(-1.0, 2.0, 0.5)]
    [InlineData(1.0, 0.4, 0.0)]
    [InlineData(2.0, 0.5, 0.0)]
    public void MatchesDirectIntegration(double mean, double sigma, double best)
    {
        // EI = ∫ max(best − f, 0)·N(f; μ, σ²) df by the trapezoidal rule on a fine grid over μ ± 12σ.
        const int Steps = 200_000;
        var lo = mean - (12 * sigma);
        var h = 24 * sigma / Steps;
        var direct = 0.0;
        for (var i = 0; i <= Steps; i++)
        {
            var f = lo + (i * h);
            var weight = i == 0 || i == Steps ? 0.5 : 1.0;
            var z = (f - mean) / sigma;
            direct += weight * Math.Max(best - f, 0) * Math.Exp(-0.5 * z * z) / (sigma * Math.Sqrt(2 * Math.PI)) * h;
        }

        var closed = ExpectedImprovement.Value(mean, sigma, best);
        Assert.True(Math.Abs(closed - direct) <= 1e-6 * Math.Max(direct, 1e-3), $"EI({mean}, {sigma}, {best}) = {closed:R}, direct {direct:R}");
    }

    [Fact]
    public void LogFormIsContinuousMonotoneAndFiniteFarInTheTail()
    {
        // Continuity where the evaluation switches from the direct to the continued-fraction form.
        var below = ExpectedImprovement.LogH(-4 - 1e-9);
        var above = ExpectedImprovement.LogH(-4 + 1e-9);
        Assert.True(Math.Abs(below - above) < 1e-8, $"log h jumps at −4: {below:R} vs {above:R}");

        // h(z) = φ(z) + zΦ(z) agrees with the direct form where that is still accurate.
        foreach (var z in new[] { -6.0, -5.0, -4.5 })
        {
            var direct = Math.Log(NormalDistribution.Pdf(z) + (z * NormalDistribution.Cdf(z)));
            Assert.True(Math.Abs(ExpectedImprovement.LogH(z) - direct) < 1e-6, $"log h({z})");
        }

        // Far tail: h(z) = φ(z)/z²·(1 − 3/z² + 15/z⁴ − …).
        foreach (var z in new[] { -40.0, -1e3, -1e5 })
        {
            var asymptotic = (-0.5 * z * z) - (0.5 * Math.Log(2 * Math.PI)) - (2 * Math.Log(-z)) + Math.Log(1 - (3 / (z * z)) + (15 / (z * z * z * z)));
            var actual = ExpectedImprovement.LogH(z);
            Assert.True(double.IsFinite(actual));
            Assert.True(Math.Abs(actual - asymptotic) <= 1e-9 * Math.Abs(asymptotic), $"log h({z}) = {actual:R}, asymptotic {asymptotic:R}");
        }

        var previous = double.NegativeInfinity;
        for (var z = -60.0; z <= 10; z += 0.01)
        {
            var value = ExpectedImprovement.LogH(z);
            Assert.True(value > previous, $"log h not increasing at z = {z}");
            previous = value;
        }

        // Far from any improvement EI underflows, but its logarithm still ranks candidates.
        Assert.Equal(0, ExpectedImprovement.Value(50, 1, 0));
        Assert.True(ExpectedImprovement.Log(50, 1, 0) < ExpectedImprovement.Log(40, 1, 0));
    }

    [Fact]
    public void VanishingSigmaGivesThePlainImprovement()
    {
        Assert.Equal(Math.Log(0.25), ExpectedImprovement.Log(0.25, 0, 0.5), 12);
        Assert.Equal(double.NegativeInfinity, ExpectedImprovement.Log(0.75, 0, 0.5));
        Assert.Equal(0.25, ExpectedImprovement.Value(0.25, 1e-9, 0.5), 9);
    }
}
