using System.Runtime.Intrinsics;
using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// The hyperbolic tangent <c>y = tanh(x) = e / (e + 2)</c> with <c>e = expm1(2x)</c>, which is exactly 0 at
/// <c>x = 0</c>, odd, and accurate for tiny <c>x</c> (|x| is clamped at 9, where tanh rounds to ±1 in float);
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
        Elementwise.Unary(x, y, default(ForwardOperator));
    }

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        Elementwise.Binary(y, dy, dx, default(BackwardOperator));
    }

    /// <summary><c>x → tanh x</c> as <c>sign(x) · e / (e + 2)</c>, <c>e = expm1(2·min(|x|, 9))</c>.</summary>
    private readonly struct ForwardOperator : IUnaryOperator
    {
        private const float Limit = 9f;

        public float Invoke(float x)
        {
            var e = VectorMath.Expm1(2f * MathF.Min(MathF.Abs(x), Limit));
            return MathF.CopySign(e / (e + 2f), x);
        }

        public Vector128<float> Invoke(Vector128<float> x)
        {
            var e = VectorMath.Expm1(Vector128.Create(2f) * Vector128.Min(Vector128.Abs(x), Vector128.Create(Limit)));
            return Vector128.CopySign(e / (e + Vector128.Create(2f)), x);
        }

        public Vector256<float> Invoke(Vector256<float> x)
        {
            var e = VectorMath.Expm1(Vector256.Create(2f) * Vector256.Min(Vector256.Abs(x), Vector256.Create(Limit)));
            return Vector256.CopySign(e / (e + Vector256.Create(2f)), x);
        }

        public Vector512<float> Invoke(Vector512<float> x)
        {
            var e = VectorMath.Expm1(Vector512.Create(2f) * Vector512.Min(Vector512.Abs(x), Vector512.Create(Limit)));
            return Vector512.CopySign(e / (e + Vector512.Create(2f)), x);
        }
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
