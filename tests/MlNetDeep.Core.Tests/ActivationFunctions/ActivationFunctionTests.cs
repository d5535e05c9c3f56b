using MlNetDeep.ActivationFunctions;
using Xunit;

namespace MlNetDeep.Tests.ActivationFunctions;

/// <summary>The factory and the settings it reads.</summary>
public class ActivationFunctionTests
{
    [Fact]
    public void CreateReturnsEveryElementwiseKind()
    {
        foreach (var kind in Enum.GetValues<Activation>().Where(k => k != Activation.PReLU))
        {
            var function = ActivationFunction.Create(kind);
            Assert.Equal(kind, function.Kind);
            Assert.Equal(kind.ToString(), function.GetType().Name);
        }
    }

    [Fact]
    public void CreateRefusesPReLUWithAClearMessage()
    {
        var error = Assert.Throws<ArgumentException>(() => ActivationFunction.Create(Activation.PReLU));
        Assert.Contains("layer", error.Message, StringComparison.Ordinal);
        Assert.Equal("kind", error.ParamName);
    }

    [Fact]
    public void CreateRefusesUnknownKinds()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ActivationFunction.Create((Activation)99));
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        var settings = new ActivationSettings();
        Assert.Equal(1f / 6f, settings.HardSigmoidSlope);
        Assert.Equal(0.01f, settings.LeakyReLUSlope);
        Assert.Equal(1f, settings.ThresholdedReLUTheta);
        Assert.Equal(1f, settings.ELUAlpha);
        Assert.False(settings.GeluApproximateTanh);
        Assert.Equal(settings, ActivationSettings.Default);
        Assert.Equal(1f / 6f, ((HardSigmoid)ActivationFunction.Create(Activation.HardSigmoid)).Slope);
        Assert.Equal(0.01f, ((LeakyReLU)ActivationFunction.Create(Activation.LeakyReLU)).Slope);
        Assert.Equal(1f, ((ThresholdedReLU)ActivationFunction.Create(Activation.ThresholdedReLU)).Theta);
        Assert.Equal(1f, ((ELU)ActivationFunction.Create(Activation.ELU)).Alpha);
        Assert.False(((GELU)ActivationFunction.Create(Activation.GELU)).ApproximateTanh);
    }

    [Fact]
    public void SettingsReachTheirActivations()
    {
        var settings = new ActivationSettings
        {
            HardSigmoidSlope = 0.2f,
            LeakyReLUSlope = 0.3f,
            ThresholdedReLUTheta = 2f,
            ELUAlpha = 2f,
            GeluApproximateTanh = true,
        };
        Assert.Equal(0.7f, Apply(Activation.HardSigmoid, settings, 1f), 6);
        Assert.Equal(-0.3f, Apply(Activation.LeakyReLU, settings, -1f), 6);
        Assert.Equal(0f, Apply(Activation.ThresholdedReLU, settings, 1.5f));
        Assert.Equal(2.5f, Apply(Activation.ThresholdedReLU, settings, 2.5f));
        Assert.Equal(-2f * (1f - MathF.Exp(-1f)), Apply(Activation.ELU, settings, -1f), 6);

        // GELU(1): exact 0.8413447460685429, tanh approximation 0.8411919906082768.
        Assert.Equal(0.84119199f, Apply(Activation.GELU, settings, 1f), 6);
        Assert.Equal(0.84134475f, Apply(Activation.GELU, null, 1f), 6);
    }

    [Fact]
    public void InvalidParametersAreRejectedWithTheReceivedValue()
    {
        Assert.Contains("slope=0", Assert.Throws<ArgumentOutOfRangeException>(() => new HardSigmoid(0f)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HardSigmoid(float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LeakyReLU(float.PositiveInfinity));
        Assert.Contains("theta=-1", Assert.Throws<ArgumentOutOfRangeException>(() => new ThresholdedReLU(-1f)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ELU(float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => ActivationFunction.Create(Activation.ELU, new ActivationSettings { ELUAlpha = -1f }));
    }

    private static float Apply(Activation kind, ActivationSettings? settings, float x)
    {
        var y = new float[1];
        ActivationFunction.Create(kind, settings).Forward([x], y);
        return y[0];
    }
}
