using MlNetDeep.Compute;
using MlNetDeep.Initializers;
using MlNetDeep.Layers;
using Xunit;

namespace MlNetDeep.Tests.Initializers;

public class InitializerFactoryTests
{
    public static TheoryData<Activation, WeightInitializer> AutoChoices() => new()
    {
        { Activation.ReLU, WeightInitializer.HeNormal },
        { Activation.LeakyReLU, WeightInitializer.HeNormal },
        { Activation.PReLU, WeightInitializer.HeNormal },
        { Activation.ThresholdedReLU, WeightInitializer.HeNormal },
        { Activation.ELU, WeightInitializer.HeNormal },
        { Activation.GELU, WeightInitializer.HeNormal },
        { Activation.SiLU, WeightInitializer.HeNormal },
        { Activation.Mish, WeightInitializer.HeNormal },
        { Activation.Sigmoid, WeightInitializer.XavierUniform },
        { Activation.Tanh, WeightInitializer.XavierUniform },
        { Activation.Softsign, WeightInitializer.XavierUniform },
        { Activation.Softplus, WeightInitializer.XavierUniform },
        { Activation.HardSigmoid, WeightInitializer.XavierUniform },
        { Activation.Linear, WeightInitializer.XavierUniform },
        { Activation.SELU, WeightInitializer.LeCunNormal },
    };

    [Theory]
    [MemberData(nameof(AutoChoices))]
    public void AutoPicksTheDocumentedPreset(Activation activation, WeightInitializer expected)
    {
        Assert.Equal(expected, InitializerFactory.AutoChoice(activation));
        var auto = Assert.IsType<VarianceScaling>(InitializerFactory.Create(WeightInitializer.Auto, activation));
        var preset = Assert.IsType<VarianceScaling>(InitializerFactory.Create(expected, activation));
        Assert.Equal((preset.Scale, preset.Mode, preset.Distribution), (auto.Scale, auto.Mode, auto.Distribution));
    }

    [Fact]
    public void EveryActivationHasAnAutoChoice()
    {
        Assert.Equal(Enum.GetValues<Activation>().Length, AutoChoices().Count);
    }

    [Fact]
    public void CreateMapsEveryKind()
    {
        var he = Assert.IsType<VarianceScaling>(InitializerFactory.Create(WeightInitializer.HeUniform, Activation.Tanh));
        Assert.Equal((2.0, FanMode.FanIn, InitializerDistribution.Uniform), (he.Scale, he.Mode, he.Distribution));
        var xavier = Assert.IsType<VarianceScaling>(InitializerFactory.Create(WeightInitializer.XavierNormal, Activation.ReLU));
        Assert.Equal((1.0, FanMode.FanAverage, InitializerDistribution.Normal), (xavier.Scale, xavier.Mode, xavier.Distribution));
        var lecun = Assert.IsType<VarianceScaling>(InitializerFactory.Create(WeightInitializer.LeCunUniform, Activation.ReLU));
        Assert.Equal((1.0, FanMode.FanIn, InitializerDistribution.Uniform), (lecun.Scale, lecun.Mode, lecun.Distribution));
        Assert.Equal(0f, Assert.IsType<Constant>(InitializerFactory.Create(WeightInitializer.Zeros, Activation.ReLU)).Value);
        Assert.Equal(0f, Assert.IsType<Constant>(InitializerFactory.Create(WeightInitializer.Constant, Activation.ReLU)).Value);
        Assert.Equal(0.5f, Assert.IsType<Constant>(InitializerFactory.Create(WeightInitializer.Constant, Activation.ReLU, 0.5f)).Value);
        Assert.Equal(0.01f, Assert.IsType<RandomNormal>(InitializerFactory.Create(WeightInitializer.RandomNormal, Activation.ReLU)).StandardDeviation);
        Assert.Equal(0.2f, Assert.IsType<RandomNormal>(InitializerFactory.Create(WeightInitializer.RandomNormal, Activation.ReLU, 0.2f)).StandardDeviation);
        Assert.Equal(0.05f, Assert.IsType<RandomUniform>(InitializerFactory.Create(WeightInitializer.RandomUniform, Activation.ReLU)).Limit);
        Assert.Equal(0.3f, Assert.IsType<RandomUniform>(InitializerFactory.Create(WeightInitializer.RandomUniform, Activation.ReLU, 0.3f)).Limit);
        foreach (var kind in Enum.GetValues<WeightInitializer>())
        {
            Assert.NotNull(InitializerFactory.Create(kind, Activation.GELU));
        }
    }

    [Fact]
    public void AValueForAKindThatTakesNoneIsAnError()
    {
        var error = Assert.Throws<ArgumentException>(() => InitializerFactory.Create(WeightInitializer.HeNormal, Activation.ReLU, 0.1f));
        Assert.Contains("HeNormal", error.Message, StringComparison.Ordinal);
        Assert.Contains("value=0.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SameSeedGivesTheSameWeights()
    {
        foreach (var kind in new[] { WeightInitializer.HeNormal, WeightInitializer.XavierUniform, WeightInitializer.RandomNormal })
        {
            var initializer = InitializerFactory.Create(kind, Activation.ReLU);
            float[] a = new float[60], b = new float[60], c = new float[60];
            initializer.Initialize(a, [6, 10], new RandomGenerator(42));
            initializer.Initialize(b, [6, 10], new RandomGenerator(42));
            initializer.Initialize(c, [6, 10], new RandomGenerator(43));
            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
        }
    }

    [Fact]
    public void WeightsAreDrawnAndEveryOtherRoleStartsAtItsInitialValue()
    {
        var dense = new Dense(20, 10);
        var weightSpec = dense.Parameters[0];
        var biasSpec = dense.Parameters[1];
        var random = new RandomGenerator(5);
        var weights = new float[weightSpec.Length];
        var bias = Enumerable.Repeat(9f, biasSpec.Length).ToArray();
        var he = InitializerFactory.ForActivation(Activation.ReLU);
        InitializerFactory.Initialize(weightSpec, weights, he, random);
        InitializerFactory.Initialize(biasSpec, bias, he, random);
        Assert.All(bias, v => Assert.Equal(0f, v));
        Assert.Contains(weights, v => v != 0);
        Assert.All(weights, v => Assert.InRange(Math.Abs(v), 0, 6 * Math.Sqrt(2.0 / 20)));

        var batchNorm = new BatchNorm(4);
        var gamma = new float[4];
        var runningVariance = new float[4];
        InitializerFactory.Initialize(batchNorm.Parameters[0], gamma, he, random);
        InitializerFactory.Initialize(batchNorm.Buffers[1], runningVariance, he, random);
        Assert.All(gamma, v => Assert.Equal(1f, v));
        Assert.All(runningVariance, v => Assert.Equal(1f, v));
    }
}
