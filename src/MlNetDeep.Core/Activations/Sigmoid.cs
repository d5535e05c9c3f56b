using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// The logistic sigmoid <c>y = 1 / (1 + e^(−x))</c> (forward by <see cref="TensorPrimitives.Sigmoid(ReadOnlySpan{float}, Span{float})"/>,
/// which saturates to exactly 0 and 1); <c>dx = dy · y(1 − y)</c> from the cached output.
/// </summary>
internal sealed class Sigmoid : ActivationFunction
{
    /// <inheritdoc/>
    public override Activation Kind => Activation.Sigmoid;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y)
    {
        Elementwise.CheckLengths(x.Length, x.Length, x.Length, y.Length);
        if (!x.IsEmpty)
        {
            // TensorPrimitives.Sigmoid rejects empty spans; an empty batch is simply nothing to do.
            TensorPrimitives.Sigmoid(x, y);
        }
    }

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        Elementwise.Binary(y, dy, dx, default(BackwardOperator));
    }

    /// <summary><c>(y, dy) → dy · y(1 − y)</c>.</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        public float Invoke(float y, float dy) => dy * y * (1f - y);

        public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy * y * (Vector128<float>.One - y);

        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * y * (Vector256<float>.One - y);

        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * y * (Vector512<float>.One - y);
    }
}
