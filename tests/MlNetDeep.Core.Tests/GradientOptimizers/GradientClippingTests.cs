using MlNetDeep.GradientOptimizers;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.GradientOptimizers;

public class GradientClippingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(100)]
    public void ClipsToTheMaximumNormAndReportsTheNormBefore(int length)
    {
        var gradients = FiniteDifference.RandomVector(new Random(length), length, 1, 3);
        var original = (float[])gradients.Clone();
        var expectedNorm = Math.Sqrt(original.Sum(v => (double)v * v));

        var norm = GradientClipping.ClipByGlobalNorm(gradients, 0.5f);

        AssertClose.Scalar(expectedNorm, norm, rtol: 1e-12, atol: 0);
        var after = Math.Sqrt(gradients.Sum(v => (double)v * v));
        AssertClose.Scalar(0.5, after, rtol: 1e-5);
        var scale = 0.5 / (expectedNorm + 1e-6);
        AssertClose.All(original.Select(v => (float)(v * scale)).ToArray(), gradients, rtol: 1e-6, atol: 0);
    }

    [Fact]
    public void LeavesGradientsBelowTheMaximumUnchanged()
    {
        float[] gradients = [0.3f, -0.4f, 0f];
        var norm = GradientClipping.ClipByGlobalNorm(gradients, 1f);
        AssertClose.Scalar(0.5, norm, rtol: 1e-6);
        Assert.Equal([0.3f, -0.4f, 0f], gradients);
    }

    [Fact]
    public void NonFiniteNormIsReportedWithoutTouchingGradients()
    {
        float[] gradients = [1f, float.PositiveInfinity, 2f];
        Assert.True(double.IsPositiveInfinity(GradientClipping.ClipByGlobalNorm(gradients, 1f)));
        Assert.Equal([1f, float.PositiveInfinity, 2f], gradients);
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByGlobalNorm(gradients, 0f));
    }

    [Fact]
    public void SumOfSquaresIsExactInDoubleForEveryLength()
    {
        var random = new Random(2);
        for (var length = 0; length <= 70; length++)
        {
            var values = FiniteDifference.RandomVector(random, length);
            var expected = values.Sum(v => (double)v * v);
            AssertClose.Scalar(expected, GradientClipping.SumOfSquares(values), rtol: 1e-13, atol: 1e-13, what: $"length {length}");
        }
    }
}
