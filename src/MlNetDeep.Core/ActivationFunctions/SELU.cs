using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// The scaled exponential linear unit of self-normalizing networks (Klambauer et al., 2017):
/// <c>y = λx</c> for <c>x &gt; 0</c>, <c>λα(e^x − 1)</c> otherwise, with λ = 1.0507009873554805 and
/// α = 1.6732632423543772 (the constants of PyTorch and Keras); <c>dx = λ·dy</c> or <c>λα·e^x·dy</c>.
/// </summary>
internal sealed class SELU : ActivationFunction
{
    /// <summary>The scale λ.</summary>
    public const float Lambda = 1.0507009873554805f;

    /// <summary>The negative-branch scale α.</summary>
    public const float Alpha = 1.6732632423543772f;

    /// <inheritdoc/>
    public override Activation Kind => Activation.SELU;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y) => Elementwise.Unary(x, y, new ELU.ForwardOperator(Lambda, Alpha));

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        Elementwise.Binary(x, dy, dx, new ELU.BackwardOperator(Lambda, Alpha));
    }
}
