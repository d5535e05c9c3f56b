namespace MlNetDeep.Tests.TestUtilities;

/// <summary>
/// Central finite differences in double precision for checking analytic gradients. The function under
/// test is evaluated on a copy of the point, so float32 kernels are checked against their own values.
/// </summary>
internal static class FiniteDifference
{
    /// <summary>
    /// Estimates the gradient of the scalar <paramref name="f"/> at <paramref name="x"/> by
    /// <c>(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h</c> for every coordinate.
    /// </summary>
    public static double[] Gradient(Func<float[], double> f, float[] x, double h = 1e-2)
    {
        var gradient = new double[x.Length];
        var probe = (float[])x.Clone();
        for (var i = 0; i < x.Length; i++)
        {
            var original = probe[i];
            probe[i] = (float)(original + h);
            var plus = f(probe);
            var up = probe[i] - original;
            probe[i] = (float)(original - h);
            var minus = f(probe);
            var down = original - probe[i];
            probe[i] = original;
            gradient[i] = (plus - minus) / (up + down);
        }

        return gradient;
    }

    /// <summary>A random vector with entries uniform in [lo, hi).</summary>
    public static float[] RandomVector(Random random, int length, double lo = -2, double hi = 2)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (float)(lo + ((hi - lo) * random.NextDouble()));
        }

        return values;
    }

    /// <summary>Asserts analytic against numeric gradients with a tolerance suited to float32 forward passes.</summary>
    public static void AssertMatches(ReadOnlySpan<float> analytic, double[] numeric, double rtol = 2e-2, double atol = 2e-3, string what = "gradient")
    {
        Xunit.Assert.Equal(numeric.Length, analytic.Length);
        for (var i = 0; i < numeric.Length; i++)
        {
            var ok = Math.Abs(analytic[i] - numeric[i]) <= atol + (rtol * Math.Abs(numeric[i]));
            Xunit.Assert.True(ok, $"{what}[{i}]: analytic {analytic[i]:G6}, numeric {numeric[i]:G6}.");
        }
    }
}
