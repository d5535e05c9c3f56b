using System.Runtime.Intrinsics;
using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// The sigmoid-weighted linear unit (swish) <c>y = x·σ(x)</c>, computed as <c>x / (1 + e^(−x))</c>;
/// <c>dx = dy · (σ(x) + x·σ'(x))</c>.
/// </summary>
internal sealed class SiLU : ActivationFunction
{
    /// <inheritdoc/>
    public override Activation Kind => Activation.SiLU;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y) => Elementwise.Unary(x, y, default(ForwardOperator));

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        Elementwise.Binary(x, dy, dx, default(BackwardOperator));
    }

    /// <summary><c>x → x / (1 + e^(−x))</c>.</summary>
    private readonly struct ForwardOperator : IUnaryOperator
    {
        public float Invoke(float x) => x / (1f + MathF.Exp(-x));

        public Vector128<float> Invoke(Vector128<float> x) => x / (Vector128<float>.One + Vector128.Exp(-x));

        public Vector256<float> Invoke(Vector256<float> x) => x / (Vector256<float>.One + Vector256.Exp(-x));

        public Vector512<float> Invoke(Vector512<float> x) => x / (Vector512<float>.One + Vector512.Exp(-x));
    }

    /// <summary><c>(x, dy) → dy · (σ(x) + x·σ'(x))</c>.</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        public float Invoke(float x, float dy)
        {
            var s = VectorMath.SigmoidWithDerivative(x, out var ds);
            return dy * float.MultiplyAddEstimate(x, ds, s);
        }

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
        {
            var s = VectorMath.SigmoidWithDerivative(x, out var ds);
            return dy * Vector128.MultiplyAddEstimate(x, ds, s);
        }

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        {
            var s = VectorMath.SigmoidWithDerivative(x, out var ds);
            return dy * Vector256.MultiplyAddEstimate(x, ds, s);
        }

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        {
            var s = VectorMath.SigmoidWithDerivative(x, out var ds);
            return dy * Vector512.MultiplyAddEstimate(x, ds, s);
        }
    }
}
