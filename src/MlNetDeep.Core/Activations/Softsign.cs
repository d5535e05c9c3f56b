using System.Runtime.Intrinsics;
using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary><c>y = x / (1 + |x|)</c>; <c>dx = dy / (1 + |x|)²</c>.</summary>
internal sealed class Softsign : ActivationFunction
{
    /// <inheritdoc/>
    public override Activation Kind => Activation.Softsign;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y) => Elementwise.Unary(x, y, default(ForwardOperator));

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        Elementwise.Binary(x, dy, dx, default(BackwardOperator));
    }

    /// <summary><c>x → x / (1 + |x|)</c>.</summary>
    private readonly struct ForwardOperator : IUnaryOperator
    {
        public float Invoke(float x) => x / (1f + MathF.Abs(x));

        public Vector128<float> Invoke(Vector128<float> x) => x / (Vector128<float>.One + Vector128.Abs(x));

        public Vector256<float> Invoke(Vector256<float> x) => x / (Vector256<float>.One + Vector256.Abs(x));

        public Vector512<float> Invoke(Vector512<float> x) => x / (Vector512<float>.One + Vector512.Abs(x));
    }

    /// <summary><c>(x, dy) → dy / (1 + |x|)²</c>.</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        public float Invoke(float x, float dy)
        {
            var d = 1f + MathF.Abs(x);
            return dy / (d * d);
        }

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
        {
            var d = Vector128<float>.One + Vector128.Abs(x);
            return dy / (d * d);
        }

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        {
            var d = Vector256<float>.One + Vector256.Abs(x);
            return dy / (d * d);
        }

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        {
            var d = Vector512<float>.One + Vector512.Abs(x);
            return dy / (d * d);
        }
    }
}
