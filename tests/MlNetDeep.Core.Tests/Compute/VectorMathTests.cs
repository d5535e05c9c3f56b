using System.Runtime.Intrinsics;
using MlNetDeep.Compute;
using MlNetDeep.Tests.ActivationFunctions;
using Xunit;

namespace MlNetDeep.Tests.Compute;

/// <summary>The shared special functions at every width against double-precision definitions.</summary>
public class VectorMathTests
{
    [Fact]
    public void NormalCdfHasAbsoluteErrorBelow1e7AndRelativeAccuracyInTheTail()
    {
        var worstAbsolute = 0.0;
        for (var i = -14000; i <= 14000; i++)
        {
            var x = i / 1000f;
            var expected = ActivationCases.NormalCdf(x);
            var expectedGaussian = Math.Exp(-(double)x * x / 2);
            foreach (var (cdf, gaussian) in AllWidths(x))
            {
                worstAbsolute = Math.Max(worstAbsolute, Math.Abs(cdf - expected));
                Assert.True(Math.Abs(gaussian - expectedGaussian) <= 1e-6 * expectedGaussian + 1e-38, $"e^(-x²/2) at {x}: {gaussian:R} vs {expectedGaussian:R}");
                if (x < -0.5f && x > -12f)
                {
                    Assert.True(Math.Abs(cdf - expected) <= 1e-6 * expected, $"Φ({x}) = {cdf:R}, expected {expected:R} (relative)");
                }
            }
        }

        Assert.True(worstAbsolute <= 1e-7, $"worst absolute error of Φ: {worstAbsolute:G3}");
    }

    [Fact]
    public void Expm1KeepsRelativeAccuracyNearZero()
    {
        float[] points = [-20f, -3f, -0.7f, -0.5f, -0.49f, -0.1f, -1e-3f, -1e-6f, -1e-20f, 0f, 1e-7f, 1e-3f, 0.3f, 0.49f, 0.5f, 2f, 10f];
        foreach (var v in points)
        {
            var expected = v == 0 ? 0 : Math.Abs(v) < 1e-5 ? v + (v * (double)v / 2) : Math.Exp(v) - 1;
            foreach (var actual in new[] { VectorMath.Expm1(v), VectorMath.Expm1<Simd128>(Vector128.Create(v)).Value[1], VectorMath.Expm1<Simd256>(Vector256.Create(v)).Value[5], VectorMath.Expm1<Simd512>(Vector512.Create(v)).Value[11] })
            {
                Assert.True(Math.Abs(actual - expected) <= 4e-7 * Math.Abs(expected), $"expm1({v:R}) = {actual:R}, expected {expected:R}");
            }
        }
    }

    [Fact]
    public void Log1pUnitKeepsRelativeAccuracyForTinyArguments()
    {
        float[] points = [0f, 1e-30f, 1e-10f, 3e-8f, 1e-7f, 1e-4f, 0.01f, 0.5f, 1f];
        foreach (var e in points)
        {
            var expected = e < 1e-8 ? e : Math.Log(1 + (double)e);
            foreach (var actual in new[] { VectorMath.Log1pUnit(e), VectorMath.Log1pUnit<Simd128>(Vector128.Create(e)).Value[0], VectorMath.Log1pUnit<Simd256>(Vector256.Create(e)).Value[7], VectorMath.Log1pUnit<Simd512>(Vector512.Create(e)).Value[15] })
            {
                Assert.True(Math.Abs(actual - expected) <= 4e-7 * Math.Abs(expected), $"log1p({e:R}) = {actual:R}, expected {expected:R}");
            }
        }
    }

    [Fact]
    public void SigmoidWithDerivativeIsAccurateAndNeverNaN()
    {
        float[] points = [-1000f, -100f, -80f, -20f, -1f, 0f, 0.5f, 20f, 100f, 1000f];
        foreach (var z in points)
        {
            var expected = ActivationCases.Sigmoid(z);
            var expectedDerivative = expected * (1 - expected);
            var s = VectorMath.SigmoidWithDerivative(z, out var ds);
            var s512 = VectorMath.SigmoidWithDerivative<Simd512>(Vector512.Create(z), out var ds512);
            foreach (var (value, derivative) in new[] { (s, ds), (s512.Value[3], ds512.Value[3]) })
            {
                Assert.True(Math.Abs(value - expected) <= (2e-7 * expected) + 1e-30, $"σ({z}) = {value:R}");
                Assert.True(Math.Abs(derivative - expectedDerivative) <= (1e-6 * expectedDerivative) + 1e-30, $"σ'({z}) = {derivative:R}, expected {expectedDerivative:R}");
            }
        }
    }

    private static IEnumerable<(double Cdf, double Gaussian)> AllWidths(float x)
    {
        yield return (VectorMath.NormalCdf(x, out var g), g);
        var c128 = VectorMath.NormalCdf<Simd128>(Vector128.Create(x), out var g128);
        yield return (c128.Value[2], g128.Value[2]);
        var c256 = VectorMath.NormalCdf<Simd256>(Vector256.Create(x), out var g256);
        yield return (c256.Value[6], g256.Value[6]);
        var c512 = VectorMath.NormalCdf<Simd512>(Vector512.Create(x), out var g512);
        yield return (c512.Value[13], g512.Value[13]);
    }
}
