using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using MlNetDeep.Compute;

namespace MlNetDeep.Activations;

/// <summary>
/// The hyperbolic tangent <c>y = tanh(x)</c> (forward by <see cref="TensorPrimitives.Tanh(ReadOnlySpan{float}, Span{float})"/>);
/// <c>dx = dy · (1 − y²)</c> from the cached output.
/// </summary>
internal sealed class Tanh : ActivationFunction
{
    /// <inheritdoc/>
    public override Activation Kind => Activation.Tanh;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y)
    {
        Elementwise.CheckLengths(x.Length, x.Length, x.Length, y.Length);
        TensorPrimitives.Tanh(x, y);
    }

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        Elementwise.Binary(y, dy, dx, default(BackwardOperator));
    }

    /// <summary><c>(y, dy) → dy · (1 − y²)</c>.</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        public float Invoke(float y, float dy) => dy * float.MultiplyAddEstimate(-y, y, 1f);

        public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy * Vector128.MultiplyAddEstimate(-y, y, Vector128<float>.One);

        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * Vector256.MultiplyAddEstimate(-y, y, Vector256<float>.One);

        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * Vector512.MultiplyAddEstimate(-y, y, Vector512<float>.One);
    }
}
