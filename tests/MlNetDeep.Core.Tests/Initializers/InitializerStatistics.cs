using Xunit;

namespace MlNetDeep.Tests.Initializers;

/// <summary>Sampling-error checks for drawn weight matrices.</summary>
internal static class InitializerStatistics
{
    /// <summary>
    /// Asserts the sample mean is within five standard errors (σ/√N) of zero and the sample standard deviation
    /// within five standard errors (σ/√(2N), the normal case, which bounds the uniform and truncated cases too) of σ.
    /// </summary>
    public static void AssertMoments(ReadOnlySpan<float> values, double std, string what)
    {
        var n = values.Length;
        double sum = 0, sumSquares = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        var mean = sum / n;
        foreach (var v in values)
        {
            sumSquares += (v - mean) * (v - mean);
        }

        var sampleStd = Math.Sqrt(sumSquares / (n - 1));
        var meanBound = 5 * std / Math.Sqrt(n);
        var stdBound = 5 * std / Math.Sqrt(2.0 * n);
        Assert.True(Math.Abs(mean) <= meanBound, $"{what}: mean {mean:G4} beyond ±{meanBound:G3}.");
        Assert.True(Math.Abs(sampleStd - std) <= stdBound, $"{what}: std {sampleStd:G6}, expected {std:G6} ± {stdBound:G3}.");
    }

    /// <summary>Asserts every |w| ≤ limit and the largest is within 20/N of it (missed with probability e⁻²⁰).</summary>
    public static void AssertUniformLimit(ReadOnlySpan<float> values, double limit, string what)
    {
        var max = 0.0;
        foreach (var v in values)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        Assert.True(max <= limit * (1 + 1e-7), $"{what}: max |w| {max:G8} exceeds the limit {limit:G8}.");
        Assert.True(max >= limit * (1 - (20.0 / values.Length)), $"{what}: max |w| {max:G8} far below the limit {limit:G8}.");
    }
}
