using System.Runtime.Intrinsics;
using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// Mish (Misra, 2019), <c>y = x·tanh(softplus(x))</c>. With <c>e = e^x</c> and <c>n = e(e + 2)</c>,
/// <c>tanh(log(1 + e)) = n / (n + 2)</c> exactly, which has no cancellation for negative x; e is computed
/// from <c>min(x, 20)</c>, beyond which <c>n / (n + 2)</c> is 1 in float32.
/// Backward: <c>dx = dy · (t + x·σ(x)·sech²(softplus(x)))</c> with <c>t = n/(n + 2)</c>,
/// <c>sech² = 4(n + 1)/(n + 2)²</c> and <c>σ(x) = e/(1 + e)</c>.
/// </summary>
internal sealed class Mish : ActivationFunction
{
    private const float ExponentLimit = 20f;

    /// <inheritdoc/>
    public override Activation Kind => Activation.Mish;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y) => Elementwise.Unary(x, y, default(ForwardOperator));

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        Elementwise.Binary(x, dy, dx, default(BackwardOperator));
    }

    /// <summary><c>x → x·n/(n + 2)</c>.</summary>
    private readonly struct ForwardOperator : IUnaryOperator
    {
        public float Invoke(float x)
        {
            var e = MathF.Exp(MathF.Min(x, ExponentLimit));
            var n = e * (e + 2f);
            return x * (n / (n + 2f));
        }

        public Vector128<float> Invoke(Vector128<float> x)
        {
            var e = Vector128.Exp(Vector128.Min(x, Vector128.Create(ExponentLimit)));
            var n = e * (e + Vector128.Create(2f));
            return x * (n / (n + Vector128.Create(2f)));
        }

        public Vector256<float> Invoke(Vector256<float> x)
        {
            var e = Vector256.Exp(Vector256.Min(x, Vector256.Create(ExponentLimit)));
            var n = e * (e + Vector256.Create(2f));
            return x * (n / (n + Vector256.Create(2f)));
        }

        public Vector512<float> Invoke(Vector512<float> x)
        {
            var e = Vector512.Exp(Vector512.Min(x, Vector512.Create(ExponentLimit)));
            var n = e * (e + Vector512.Create(2f));
            return x * (n / (n + Vector512.Create(2f)));
        }
    }

    /// <summary><c>(x, dy) → dy · (t + x·σ·sech²)</c>.</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        public float Invoke(float x, float dy)
        {
            var e = MathF.Exp(MathF.Min(x, ExponentLimit));
            var n = e * (e + 2f);
            var q = 1f / (n + 2f);
            var sigmoid = e / (1f + e);
            var sech2 = 4f * (n + 1f) * q * q;
            return dy * float.MultiplyAddEstimate(x * sigmoid, sech2, n * q);
        }

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
        {
            var e = Vector128.Exp(Vector128.Min(x, Vector128.Create(ExponentLimit)));
            var n = e * (e + Vector128.Create(2f));
            var q = Vector128<float>.One / (n + Vector128.Create(2f));
            var sigmoid = e / (Vector128<float>.One + e);
            var sech2 = Vector128.Create(4f) * (n + Vector128<float>.One) * q * q;
            return dy * Vector128.MultiplyAddEstimate(x * sigmoid, sech2, n * q);
        }

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        {
            var e = Vector256.Exp(Vector256.Min(x, Vector256.Create(ExponentLimit)));
            var n = e * (e + Vector256.Create(2f));
            var q = Vector256<float>.One / (n + Vector256.Create(2f));
            var sigmoid = e / (Vector256<float>.One + e);
            var sech2 = Vector256.Create(4f) * (n + Vector256<float>.One) * q * q;
            return dy * Vector256.MultiplyAddEstimate(x * sigmoid, sech2, n * q);
        }

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        {
            var e = Vector512.Exp(Vector512.Min(x, Vector512.Create(ExponentLimit)));
            var n = e * (e + Vector512.Create(2f));
            var q = Vector512<float>.One / (n + Vector512.Create(2f));
            var sigmoid = e / (Vector512<float>.One + e);
            var sech2 = Vector512.Create(4f) * (n + Vector512<float>.One) * q * q;
            return dy * Vector512.MultiplyAddEstimate(x * sigmoid, sech2, n * q);
        }
    }
}
