using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary>The identity, <c>y = x</c>, <c>dx = dy</c>.</summary>
internal sealed class Linear : ActivationFunction
{
    /// <inheritdoc/>
    public override Activation Kind => Activation.Linear;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y)
    {
        Elementwise.CheckLengths(x.Length, x.Length, x.Length, y.Length);
        x.CopyTo(y);
    }

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        dy.CopyTo(dx);
    }
}
