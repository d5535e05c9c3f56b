using System.Runtime.CompilerServices;
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x)
            where TVec : struct, ISimd<TVec> => x / (TVec.One + TVec.Abs(x));
    }

    /// <summary><c>(x, dy) → dy / (1 + |x|)²</c>.</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        public float Invoke(float x, float dy)
        {
            var d = 1f + MathF.Abs(x);
            return dy / (d * d);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x, TVec dy)
            where TVec : struct, ISimd<TVec>
        {
            var d = TVec.One + TVec.Abs(x);
            return dy / (d * d);
        }
    }
}
