using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// The exponential linear unit <c>y = x</c> for <c>x &gt; 0</c>, <c>α(e^x − 1)</c> otherwise (α = 1 by
/// default); <c>dx = dy</c> or <c>α·e^x·dy</c>. The negative branch uses an <c>expm1</c> that keeps full
/// relative accuracy near zero. <see cref="SELU"/> is the same function scaled by λ, and shares the operators.
/// </summary>
internal sealed class ELU : ActivationFunction
{
    private readonly float _alpha;

    /// <summary>Creates the activation with the finite, non-negative <paramref name="alpha"/>.</summary>
    public ELU(float alpha = ActivationSettings.Defaults.ELUAlpha)
    {
        if (!(alpha >= 0f) || !float.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), $"The ELU alpha must be finite and non-negative. Received: alpha={alpha}.");
        }

        _alpha = alpha;
    }

    /// <summary>The scale α of the negative branch.</summary>
    public float Alpha => _alpha;

    /// <inheritdoc/>
    public override Activation Kind => Activation.ELU;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y) => Elementwise.Unary(x, y, new ForwardOperator(1f, _alpha));

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        Elementwise.Binary(x, dy, dx, new BackwardOperator(1f, _alpha));
    }

    /// <summary><c>x → scale · (x &gt; 0 ? x : α·expm1(x))</c>.</summary>
    internal readonly struct ForwardOperator(float scale, float alpha) : IUnaryOperator
    {
        public float Invoke(float x) => scale * (x > 0f ? x : alpha * VectorMath.Expm1(MathF.Min(x, 0f)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x)
            where TVec : struct, ISimd<TVec>
        {
            var negative = TVec.Create(alpha) * VectorMath.Expm1(TVec.Min(x, TVec.Zero));
            return TVec.Create(scale) * TVec.ConditionalSelect(TVec.GreaterThan(x, TVec.Zero), x, negative);
        }
    }

    /// <summary><c>(x, dy) → scale · (x &gt; 0 ? 1 : α·e^x) · dy</c>.</summary>
    internal readonly struct BackwardOperator(float scale, float alpha) : IBinaryOperator
    {
        public float Invoke(float x, float dy) => scale * dy * (x > 0f ? 1f : alpha * MathF.Exp(MathF.Min(x, 0f)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x, TVec dy)
            where TVec : struct, ISimd<TVec>
        {
            var negative = TVec.Create(alpha) * TVec.Exp(TVec.Min(x, TVec.Zero));
            return TVec.Create(scale) * dy * TVec.ConditionalSelect(TVec.GreaterThan(x, TVec.Zero), TVec.One, negative);
        }
    }
}
