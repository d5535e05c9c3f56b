namespace MlNetDeep.Activations;

/// <summary>
/// An elementwise activation <c>y = f(x)</c> with its derivative. Parameterized activations that learn
/// (PReLU) are layers of their own; this type covers the stateless ones.
/// </summary>
internal abstract class ActivationFunction
{
    /// <summary>Which activation this is.</summary>
    public abstract Activation Kind { get; }

    /// <summary>Writes <c>y = f(x)</c>; <paramref name="y"/> may be the same memory as <paramref name="x"/>.</summary>
    public abstract void Forward(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>Writes <c>dx = f'(x) · dy</c>, given the forward pass's input <paramref name="x"/> and output <paramref name="y"/>.</summary>
    public abstract void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx);

    /// <summary>
    /// Creates the elementwise activation <paramref name="kind"/>, reading its optional parameters from
    /// <paramref name="settings"/> (defaults when null). <see cref="Activation.PReLU"/> learns a slope per unit,
    /// so it is the layer <see cref="PReLU"/> and cannot be created here.
    /// </summary>
    public static ActivationFunction Create(Activation kind, ActivationSettings? settings = null)
    {
        settings ??= ActivationSettings.Default;
        return kind switch
        {
            Activation.Linear => new Linear(),
            Activation.Sigmoid => new Sigmoid(),
            Activation.HardSigmoid => new HardSigmoid(settings.HardSigmoidSlope),
            Activation.Tanh => new Tanh(),
            Activation.Softsign => new Softsign(),
            Activation.Softplus => new Softplus(),
            Activation.ReLU => new ReLU(),
            Activation.LeakyReLU => new LeakyReLU(settings.LeakyReLUSlope),
            Activation.PReLU => throw new ArgumentException(
                "PReLU learns one slope per unit, so it is a layer: create MlNetDeep.Activations.PReLU with the unit count instead of an ActivationFunction.",
                nameof(kind)),
            Activation.ThresholdedReLU => new ThresholdedReLU(settings.ThresholdedReLUTheta),
            Activation.ELU => new ELU(settings.ELUAlpha),
            Activation.SELU => new SELU(),
            Activation.GELU => new GELU(settings.GeluApproximateTanh),
            Activation.SiLU => new SiLU(),
            Activation.Mish => new Mish(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown activation. Received: {kind}."),
        };
    }
}
