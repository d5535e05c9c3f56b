using MlNetDeep.Compute;
using MlNetDeep.Initializers;
using Xunit;

namespace MlNetDeep.Tests.Initializers;

/// <summary>The initializers that ignore the fans: Constant (and Zeros), RandomNormal, RandomUniform.</summary>
public class FixedInitializerTests
{
    [Fact]
    public void ConstantAndZerosFillEveryValue()
    {
        var values = new float[12];
        new Constant(0.3f).Initialize(values, [3, 4], new RandomGenerator(1));
        Assert.All(values, v => Assert.Equal(0.3f, v));
        Constant.Zeros.Initialize(values, [3, 4], new RandomGenerator(1));
        Assert.All(values, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void RandomNormalDefaultsToStdOneHundredth()
    {
        var initializer = new RandomNormal();
        Assert.Equal(0.01f, initializer.StandardDeviation);
        var values = new float[200 * 300];
        initializer.Initialize(values, [200, 300], new RandomGenerator(2));
        InitializerStatistics.AssertMoments(values, 0.01, "RandomNormal()");
    }

    [Fact]
    public void RandomUniformDefaultsToLimitFiveHundredthsWhateverTheFans()
    {
        var initializer = new RandomUniform();
        Assert.Equal(0.05f, initializer.Limit);
        foreach (int[] shape in new[] { new[] { 200, 300 }, new[] { 600, 100 } })
        {
            var values = new float[60_000];
            initializer.Initialize(values, shape, new RandomGenerator(3));
            InitializerStatistics.AssertMoments(values, 0.05 / Math.Sqrt(3), "RandomUniform()");
            InitializerStatistics.AssertUniformLimit(values, 0.05, "RandomUniform()");
        }
    }

    [Fact]
    public void RejectInvalidValuesNamingThem()
    {
        Assert.Contains("std=0", Assert.Throws<ArgumentOutOfRangeException>(() => new RandomNormal(0)).Message, StringComparison.Ordinal);
        Assert.Contains("limit=-1", Assert.Throws<ArgumentOutOfRangeException>(() => new RandomUniform(-1)).Message, StringComparison.Ordinal);
        Assert.Contains("value=NaN", Assert.Throws<ArgumentOutOfRangeException>(() => new Constant(float.NaN)).Message, StringComparison.Ordinal);
    }
}
