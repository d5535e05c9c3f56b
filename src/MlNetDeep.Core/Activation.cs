namespace MlNetDeep;

/// <summary>
/// The activation function applied after a hidden layer's linear map (and its normalization, if any).
/// </summary>
public enum Activation
{
    /// <summary>The identity, <c>f(x) = x</c>.</summary>
    Linear,
    /// <summary>The logistic sigmoid, <c>1 / (1 + e^-x)</c>.</summary>
    Sigmoid,
    /// <summary>The piecewise-linear sigmoid, <c>clip(x/6 + 1/2, 0, 1)</c> by default.</summary>
    HardSigmoid,
    /// <summary>The hyperbolic tangent.</summary>
    Tanh,
    /// <summary><c>x / (1 + |x|)</c>.</summary>
    Softsign,
    /// <summary><c>log(1 + e^x)</c>.</summary>
    Softplus,
    /// <summary>The rectified linear unit, <c>max(0, x)</c>.</summary>
    ReLU,
    /// <summary><c>x</c> for positive input, <c>αx</c> otherwise (α = 0.01).</summary>
    LeakyReLU,
    /// <summary>Leaky ReLU whose negative slope is learned, one per unit (initially 0.25).</summary>
    PReLU,
    /// <summary><c>x</c> when <c>x &gt; θ</c>, zero otherwise (θ = 1).</summary>
    ThresholdedReLU,
    /// <summary>The exponential linear unit, <c>x</c> for positive input, <c>α(e^x − 1)</c> otherwise (α = 1).</summary>
    ELU,
    /// <summary>The scaled ELU of self-normalizing networks (λ ≈ 1.0507, α ≈ 1.6733).</summary>
    SELU,
    /// <summary>The Gaussian error linear unit, <c>x·Φ(x)</c> (exact, with the error function).</summary>
    GELU,
    /// <summary>The sigmoid-weighted linear unit (swish), <c>x·σ(x)</c>.</summary>
    SiLU,
    /// <summary><c>x·tanh(softplus(x))</c>.</summary>
    Mish,
}
