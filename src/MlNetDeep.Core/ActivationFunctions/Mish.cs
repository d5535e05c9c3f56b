using System.Runtime.CompilerServices;
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x)
            where TVec : struct, ISimd<TVec>
        {
            var e = TVec.Exp(TVec.Min(x, TVec.Create(ExponentLimit)));
            var n = e * (e + TVec.Create(2f));
            return x * (n / (n + TVec.Create(2f)));
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x, TVec dy)
            where TVec : struct, ISimd<TVec>
        {
            var e = TVec.Exp(TVec.Min(x, TVec.Create(ExponentLimit)));
            var n = e * (e + TVec.Create(2f));
            var q = TVec.One / (n + TVec.Create(2f));
            var sigmoid = e / (TVec.One + e);
            var sech2 = TVec.Create(4f) * (n + TVec.One) * q * q;
            return dy * TVec.MultiplyAddEstimate(x * sigmoid, sech2, n * q);
        }
    }
}
