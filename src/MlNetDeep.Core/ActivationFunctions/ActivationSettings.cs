namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// The optional parameters of the elementwise activations, read by their <see cref="ActivationRegistry"/> entries'
/// function factories (through <see cref="ActivationFunction.Create"/> or the layer builder).
/// Each property applies only to its activation; the defaults come from <see cref="Defaults"/>.
/// </summary>
internal sealed record ActivationSettings
{
    /// <summary>The settings with every parameter at its default.</summary>
    public static ActivationSettings Default { get; } = new();

    /// <summary>Slope of <see cref="HardSigmoid"/>, <c>clip(slope·x + 0.5, 0, 1)</c>; 1/6 (PyTorch, Keras 3), 0.2 gives Keras 2.</summary>
    public float HardSigmoidSlope { get; init; } = Defaults.HardSigmoidSlope;

    /// <summary>Negative slope α of <see cref="LeakyReLU"/>.</summary>
    public float LeakyReLUSlope { get; init; } = Defaults.LeakyReLUSlope;

    /// <summary>Threshold θ of <see cref="ThresholdedReLU"/>: <c>x</c> when <c>x &gt; θ</c>, zero otherwise.</summary>
    public float ThresholdedReLUTheta { get; init; } = Defaults.ThresholdedReLUTheta;

    /// <summary>Scale α of the negative branch of <see cref="ELU"/>, <c>α(e^x − 1)</c>.</summary>
    public float ELUAlpha { get; init; } = Defaults.ELUAlpha;

    /// <summary>Whether <see cref="GELU"/> uses the tanh approximation instead of the exact error-function form.</summary>
    public bool GeluApproximateTanh { get; init; } = Defaults.GeluApproximateTanh;

    /// <summary>The default value of every setting, shared by the properties and their documentation.</summary>
    public static class Defaults
    {
        /// <summary>1/6, the slope of PyTorch's <c>Hardsigmoid</c> and Keras 3's <c>hard_sigmoid</c>.</summary>
        public const float HardSigmoidSlope = 1f / 6f;

        /// <summary>0.01, as in PyTorch's <c>LeakyReLU</c>.</summary>
        public const float LeakyReLUSlope = 0.01f;

        /// <summary>1.0, as in Keras' <c>ThresholdedReLU</c>.</summary>
        public const float ThresholdedReLUTheta = 1f;

        /// <summary>1.0, as in PyTorch and Keras.</summary>
        public const float ELUAlpha = 1f;

        /// <summary>False: the exact form <c>x·Φ(x)</c>.</summary>
        public const bool GeluApproximateTanh = false;
    }
}
