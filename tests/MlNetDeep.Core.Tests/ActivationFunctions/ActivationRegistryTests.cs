using MlNetDeep.ActivationFunctions;
using MlNetDeep.Layers;
using Xunit;

namespace MlNetDeep.Tests.ActivationFunctions;

public class ActivationRegistryTests
{
    [Fact]
    public void EveryActivationHasExactlyOneEntry()
    {
        var kinds = Enum.GetValues<Activation>();
        Assert.Equal(kinds.Length, ActivationRegistry.Entries.Count);
        foreach (var kind in kinds)
        {
            Assert.Single(ActivationRegistry.Entries, e => e.Kind == kind);
            Assert.Equal(kind, ActivationRegistry.Get(kind).Kind);
        }
    }

    [Fact]
    public void GetRefusesUnknownKinds()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ActivationRegistry.Get((Activation)99));
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyPReLUIsParametricAndItsLayerLearnsOneSlopePerUnit()
    {
        var parametric = ActivationRegistry.Entries.Where(e => e.IsParametric).Select(e => e.Kind).ToArray();
        Assert.Equal([Activation.PReLU], parametric);
        Assert.Null(ActivationRegistry.Get(Activation.PReLU).Function);
        var layer = Assert.IsType<PReLU>(ActivationRegistry.Get(Activation.PReLU).CreateLayer(7, ActivationSettings.Default));
        Assert.Equal(7, layer.OutputSize);
        Assert.Equal("alpha", Assert.Single(layer.Parameters).Name);
        foreach (var entry in ActivationRegistry.Entries.Where(e => !e.IsParametric))
        {
            var activation = Assert.IsType<ActivationLayer>(entry.CreateLayer(3, ActivationSettings.Default));
            Assert.Equal(entry.Kind, activation.Function.Kind);
        }
    }

    [Fact]
    public void FunctionsReadTheirSettings()
    {
        var settings = new ActivationSettings { HardSigmoidSlope = 0.2f, LeakyReLUSlope = 0.1f, ThresholdedReLUTheta = 2f, ELUAlpha = 0.5f, GeluApproximateTanh = true };
        float[] x = [-1f, 1.5f, 3f, 0.5f];
        AssertForward(Activation.HardSigmoid, settings, x, [0.3f, 0.8f, 1f, 0.6f]);
        AssertForward(Activation.LeakyReLU, settings, x, [-0.1f, 1.5f, 3f, 0.5f]);
        AssertForward(Activation.ThresholdedReLU, settings, x, [0f, 0f, 3f, 0f]);
        AssertForward(Activation.ELU, settings, x, [0.5f * (MathF.Exp(-1f) - 1f), 1.5f, 3f, 0.5f]);
        var exact = new float[4];
        var approximate = new float[4];
        ActivationRegistry.Get(Activation.GELU).Function!(ActivationSettings.Default).Forward(x, exact);
        ActivationRegistry.Get(Activation.GELU).Function!(settings).Forward(x, approximate);
        Assert.NotEqual(exact, approximate);
    }

    [Fact]
    public void DiagnosticsRulesAreTheDocumentedOnes()
    {
        Assert.Equal([Activation.ReLU, Activation.ThresholdedReLU], Kinds(e => e.DeadUnits == DeadUnitRule.Output));
        Assert.Equal(
            [Activation.Softplus, Activation.LeakyReLU, Activation.PReLU, Activation.ELU, Activation.SELU, Activation.GELU, Activation.SiLU, Activation.Mish],
            Kinds(e => e.DeadUnits == DeadUnitRule.PreActivation));
        Assert.Equal([Activation.Sigmoid, Activation.HardSigmoid], Kinds(e => e.Saturation == (0f, 1f)));
        Assert.Equal([Activation.Tanh, Activation.Softsign], Kinds(e => e.Saturation == (-1f, 1f)));
        Assert.Equal(4, Kinds(e => e.Saturation is not null).Length);
        Assert.All(ActivationRegistry.Entries, e => Assert.False(e.Saturation is not null && e.DeadUnits != DeadUnitRule.None));
    }

    [Fact]
    public void OnlySELUTakesAlphaDropout()
    {
        Assert.Equal([Activation.SELU], Kinds(e => e.SelfNormalizing));
        Assert.IsType<AlphaDropout>(ActivationRegistry.Get(Activation.SELU).CreateDropout(4, 0.1f));
        Assert.IsType<Dropout>(ActivationRegistry.Get(Activation.ReLU).CreateDropout(4, 0.1f));
    }

    private static Activation[] Kinds(Func<ActivationEntry, bool> predicate)
        => ActivationRegistry.Entries.Where(predicate).Select(e => e.Kind).ToArray();

    private static void AssertForward(Activation kind, ActivationSettings settings, float[] x, float[] expected)
    {
        var y = new float[x.Length];
        ActivationRegistry.Get(kind).Function!(settings).Forward(x, y);
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(expected[i], y[i], 6);
        }
    }
}
