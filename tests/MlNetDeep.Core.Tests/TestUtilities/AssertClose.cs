using Xunit;

namespace MlNetDeep.Tests.TestUtilities;

/// <summary>Element-wise comparison with a mixed tolerance: |actual − expected| ≤ atol + rtol·|expected|.</summary>
internal static class AssertClose
{
    public static void All(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double rtol = 1e-4, double atol = 1e-5, string what = "values")
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}.");
        for (var i = 0; i < expected.Length; i++)
        {
            var e = expected[i];
            var a = actual[i];
            var ok = Math.Abs(a - e) <= atol + (rtol * Math.Abs(e)) || (float.IsNaN(e) && float.IsNaN(a));
            Assert.True(ok, $"{what}[{i}]: expected {e:R}, got {a:R} (|diff| {Math.Abs(a - e):G3}).");
        }
    }

    public static void Scalar(double expected, double actual, double rtol = 1e-4, double atol = 1e-5, string what = "value")
    {
        Assert.True(Math.Abs(actual - expected) <= atol + (rtol * Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}.");
    }
}
