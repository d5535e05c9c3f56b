using System.Text.Json;
using MlNetDeep.Compute;
using MlNetDeep.Initializers;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.Initializers;

public class VarianceScalingTests
{
    public static TheoryData<string> ReferenceInitializers() =>
        ["xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal", "random_normal_0.01"];

    [Theory]
    [MemberData(nameof(ReferenceInitializers))]
    public void DrawnMatricesHaveTheReferenceStatistics(string name)
    {
        var cases = ReferenceData.Load("initializers").Root.GetProperty("cases").EnumerateArray().ToArray();
        Assert.NotEmpty(cases);
        var seed = 1;
        foreach (var item in cases)
        {
            int fanIn = item.GetProperty("fan_in").GetInt32(), fanOut = item.GetProperty("fan_out").GetInt32();
            var expected = item.GetProperty(name);
            var initializer = Create(name);
            var weights = new float[fanIn * fanOut];
            initializer.Initialize(weights, [fanOut, fanIn], new RandomGenerator(seed++));

            var std = expected.GetProperty("std").GetDouble();
            InitializerStatistics.AssertMoments(weights, std, $"{name} {fanOut}×{fanIn}");
            if (expected.TryGetProperty("limit", out JsonElement limit))
            {
                InitializerStatistics.AssertUniformLimit(weights, limit.GetDouble(), $"{name} {fanOut}×{fanIn}");
            }

            if (initializer is VarianceScaling scaling)
            {
                AssertClose.Scalar(std, scaling.StandardDeviation(fanIn, fanOut), rtol: 1e-12, what: $"{name} std formula");
            }
        }
    }

    [Fact]
    public void TruncatedNormalIsRescaledSoTheStandardDeviationStillMatches()
    {
        var initializer = new VarianceScaling(2, FanMode.FanIn, InitializerDistribution.TruncatedNormal);
        var weights = new float[512 * 256];
        initializer.Initialize(weights, [256, 512], new RandomGenerator(3));
        InitializerStatistics.AssertMoments(weights, 0.0625, "truncated He normal");

        // Truncated at two of its scale parameter, std/0.8796.
        var bound = 2 * 0.0625 / 0.87962566103423978;
        var max = weights.Max(Math.Abs);
        Assert.InRange(max, bound * 0.99, bound * (1 + 1e-6));
    }

    [Fact]
    public void FanOutModeDividesByTheOutputCount()
    {
        var initializer = new VarianceScaling(2, FanMode.FanOut, InitializerDistribution.Normal);
        AssertClose.Scalar(Math.Sqrt(2.0 / 300), initializer.StandardDeviation(fanIn: 700, fanOut: 300), rtol: 1e-12);
        var weights = new float[300 * 700];
        initializer.Initialize(weights, [300, 700], new RandomGenerator(4));
        InitializerStatistics.AssertMoments(weights, Math.Sqrt(2.0 / 300), "fan-out normal");
    }

    [Fact]
    public void PresetsAreVarianceScalingSettings()
    {
        Assert.Equal((1.0, FanMode.FanAverage, InitializerDistribution.Uniform), Settings(VarianceScaling.XavierUniform()));
        Assert.Equal((1.0, FanMode.FanAverage, InitializerDistribution.Normal), Settings(VarianceScaling.XavierNormal()));
        Assert.Equal((2.0, FanMode.FanIn, InitializerDistribution.Uniform), Settings(VarianceScaling.HeUniform()));
        Assert.Equal((2.0, FanMode.FanIn, InitializerDistribution.Normal), Settings(VarianceScaling.HeNormal()));
        Assert.Equal((1.0, FanMode.FanIn, InitializerDistribution.Uniform), Settings(VarianceScaling.LeCunUniform()));
        Assert.Equal((1.0, FanMode.FanIn, InitializerDistribution.Normal), Settings(VarianceScaling.LeCunNormal()));
    }

    [Fact]
    public void FansComeFromTheWeightShape()
    {
        Assert.Equal((7, 4), Initializer.Fans([4, 7]));
        Assert.Equal((5, 5), Initializer.Fans([5]));
        Assert.Equal((1, 1), Initializer.Fans([]));
        Assert.Equal((3 * 6, 2 * 6), Initializer.Fans([2, 3, 2, 3]));
        Assert.Throws<ArgumentException>(() => Initializer.Fans([4, 0]));
    }

    [Fact]
    public void RejectsAValueCountThatDoesNotMatchTheShape()
    {
        var error = Assert.Throws<ArgumentException>(() => VarianceScaling.HeNormal().Initialize(new float[5], [2, 3], new RandomGenerator(1)));
        Assert.Contains("[2, 3] has 6 values, but 5", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void RejectsANonPositiveScale(double scale)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new VarianceScaling(scale, FanMode.FanIn, InitializerDistribution.Normal));
        Assert.Contains($"scale={scale}", error.Message, StringComparison.Ordinal);
    }

    private static Initializer Create(string name) => name switch
    {
        "xavier_uniform" => VarianceScaling.XavierUniform(),
        "xavier_normal" => VarianceScaling.XavierNormal(),
        "he_uniform" => VarianceScaling.HeUniform(),
        "he_normal" => VarianceScaling.HeNormal(),
        "lecun_uniform" => VarianceScaling.LeCunUniform(),
        "lecun_normal" => VarianceScaling.LeCunNormal(),
        "random_normal_0.01" => new RandomNormal(0.01f),
        _ => throw new ArgumentException(name),
    };

    private static (double, FanMode, InitializerDistribution) Settings(VarianceScaling v) => (v.Scale, v.Mode, v.Distribution);
}
