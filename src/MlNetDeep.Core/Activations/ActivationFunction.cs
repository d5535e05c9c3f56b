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
}
