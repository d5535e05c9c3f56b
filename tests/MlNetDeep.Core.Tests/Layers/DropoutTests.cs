using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.Layers;

public class DropoutTests
{
    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    public void KeepsTheKeepRateAndTheExpectation(float rate)
    {
        const int Rows = 1000, Size = 100, N = Rows * Size;
        var harness = new LayerHarness(new Dropout(Size, rate), Rows);
        var x = Enumerable.Repeat(1f, N).ToArray();

        var y = harness.Forward(x, Rows);

        var keep = 1.0 - rate;
        var kept = y.Count(v => v != 0);
        var scale = 1f / (1f - rate);
        Assert.All(y, v => Assert.True(v == 0 || v == scale, $"value {v} is neither 0 nor {scale}"));

        // Binomial sampling error: five standard deviations.
        var keptSigma = Math.Sqrt(N * keep * (1 - keep));
        Assert.InRange(kept, (N * keep) - (5 * keptSigma), (N * keep) + (5 * keptSigma));
        var mean = y.Average(v => (double)v);
        var meanSigma = Math.Sqrt((1 - keep) / keep / N);
        Assert.InRange(mean, 1 - (5 * meanSigma), 1 + (5 * meanSigma));
    }

    [Fact]
    public void BackwardUsesTheSameMask()
    {
        var harness = new LayerHarness(new Dropout(17, 0.3f), 3);
        var x = FiniteDifference.RandomVector(new Random(1), 51, 0.5, 2);
        var y = harness.Forward(x, 3);
        var dy = FiniteDifference.RandomVector(new Random(2), 51);
        var dx = harness.Backward(x, y, dy, 3);
        for (var i = 0; i < x.Length; i++)
        {
            // y = m·x, so the mask is y/x; dx must be m·dy.
            AssertClose.Scalar(y[i] / x[i] * dy[i], dx[i], what: $"dx[{i}]");
        }

        Assert.Contains(y, v => v == 0);
        Assert.Contains(y, v => v != 0);
    }

    [Fact]
    public void IsTheIdentityAtInferenceAndForRateZero()
    {
        var x = FiniteDifference.RandomVector(new Random(3), 33);
        var dy = FiniteDifference.RandomVector(new Random(4), 33);
        var inference = new LayerHarness(new Dropout(11, 0.5f), 3, training: false);
        var rateZero = new LayerHarness(new Dropout(11, 0f), 3, training: true);
        foreach (var harness in new[] { inference, rateZero })
        {
            var y = harness.Forward(x, 3);
            Assert.Equal(x, y);
            Assert.Equal(dy, harness.Backward(x, y, dy, 3));
        }
    }

    [Fact]
    public void SameSeedGivesTheSameMaskAndDifferentStepsDiffer()
    {
        var x = Enumerable.Repeat(1f, 64).ToArray();
        var first = new LayerHarness(new Dropout(32, 0.5f), 2, seed: 9);
        var second = new LayerHarness(new Dropout(32, 0.5f), 2, seed: 9);
        var a = first.Forward(x, 2);
        Assert.Equal(a, second.Forward(x, 2));
        Assert.NotEqual(a, first.Forward(x, 2));
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void RejectsRatesOutsideZeroToOne(float rate)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(4, rate));
        Assert.Contains($"Received: rate={rate}", error.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForwardAndBackwardDoNotAllocate()
    {
        var harness = new LayerHarness(new Dropout(17, 0.2f), 8);
        Assert.Equal(0, harness.AllocatedBytesPerStep(8));
    }
}
