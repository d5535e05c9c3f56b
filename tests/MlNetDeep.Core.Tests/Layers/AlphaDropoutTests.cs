using MlNetDeep.Compute;
using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.Layers;

public class AlphaDropoutTests
{
    [Fact]
    public void AffineConstantsMatchReferenceForEveryRate()
    {
        var reference = ReferenceData.Load("alpha_dropout_constants");
        var cases = reference.Root.GetProperty("cases").EnumerateArray().ToArray();
        Assert.NotEmpty(cases);
        foreach (var item in cases)
        {
            var rate = item.GetProperty("rate").GetDouble();
            AssertClose.Scalar(item.GetProperty("alpha_prime").GetDouble(), AlphaDropout.AlphaPrime, rtol: 1e-12, what: "alpha'");
            var (a, b) = AlphaDropout.AffineConstants(rate);
            AssertClose.Scalar(item.GetProperty("a").GetDouble(), a, rtol: 1e-12, what: $"a at rate {rate}");
            AssertClose.Scalar(item.GetProperty("b").GetDouble(), b, rtol: 1e-12, what: $"b at rate {rate}");

            var layer = new AlphaDropout(3, (float)rate);
            AssertClose.Scalar(a, layer.A, rtol: 1e-6, what: "layer a");
            AssertClose.Scalar(b, layer.B, rtol: 1e-6, what: "layer b");
        }
    }

    [Theory]
    [InlineData(0.05f)]
    [InlineData(0.2f)]
    [InlineData(0.5f)]
    public void StandardNormalInputKeepsZeroMeanAndUnitVariance(float rate)
    {
        const int Rows = 1000, Size = 100, N = Rows * Size;
        var harness = new LayerHarness(new AlphaDropout(Size, rate), Rows);
        var source = new RandomGenerator(17);
        var x = new float[N];
        for (var i = 0; i < N; i++)
        {
            x[i] = (float)source.NextGaussian();
        }

        var y = harness.Forward(x, Rows);

        var mean = y.Average(v => (double)v);
        var variance = y.Sum(v => (v - mean) * (v - mean)) / (N - 1);

        // Sampling error of the mean is 1/√N ≈ 0.003 and of the variance about √(2/N)·(1 + kurtosis excess) ≈ 0.01.
        Assert.InRange(mean, -0.015, 0.015);
        Assert.InRange(variance, 0.96, 1.04);
        Assert.Contains(y, v => Math.Abs(v - ((AlphaDropout.AlphaPrime * ((AlphaDropout)harness.Layer).A) + ((AlphaDropout)harness.Layer).B)) < 1e-6);
    }

    [Fact]
    public void KeptValuesAreAffineDroppedValuesConstantAndBackwardUsesTheMask()
    {
        var layer = new AlphaDropout(17, 0.3f);
        var harness = new LayerHarness(layer, 3);
        var x = FiniteDifference.RandomVector(new Random(1), 51);
        var y = harness.Forward(x, 3);
        var dy = FiniteDifference.RandomVector(new Random(2), 51);
        var dx = harness.Backward(x, y, dy, 3);
        var dropped = (float)((layer.A * AlphaDropout.AlphaPrime) + layer.B);
        var droppedCount = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var keptValue = (layer.A * x[i]) + layer.B;
            if (Math.Abs(y[i] - keptValue) <= 1e-5)
            {
                AssertClose.Scalar(layer.A * dy[i], dx[i], what: $"kept dx[{i}]");
            }
            else
            {
                AssertClose.Scalar(dropped, y[i], what: $"dropped y[{i}]");
                Assert.Equal(0f, dx[i]);
                droppedCount++;
            }
        }

        Assert.InRange(droppedCount, 1, 50);
    }

    [Fact]
    public void IsTheIdentityAtInferenceAndForRateZero()
    {
        var x = FiniteDifference.RandomVector(new Random(3), 33);
        var dy = FiniteDifference.RandomVector(new Random(4), 33);
        foreach (var harness in new[] { new LayerHarness(new AlphaDropout(11, 0.5f), 3, training: false), new LayerHarness(new AlphaDropout(11, 0f), 3) })
        {
            var y = harness.Forward(x, 3);
            Assert.Equal(x, y);
            Assert.Equal(dy, harness.Backward(x, y, dy, 3));
        }
    }

    [Fact]
    public void RejectsRateOfOneNamingIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AlphaDropout(4, 1f));
        Assert.Contains("AlphaDropout", error.Message, StringComparison.Ordinal);
        Assert.Contains("Received: rate=1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForwardAndBackwardDoNotAllocate()
    {
        var harness = new LayerHarness(new AlphaDropout(17, 0.2f), 8);
        Assert.Equal(0, harness.AllocatedBytesPerStep(8));
    }
}
