using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// <c>y = log(1 + e^x)</c>, computed as <c>max(x, 0) + log1p(e^(−|x|))</c> so it neither overflows for large
/// positive x nor loses the tiny values <c>≈ e^x</c> for large negative x; <c>dx = dy · σ(x)</c>.
/// </summary>
internal sealed class Softplus : ActivationFunction
{
    /// <inheritdoc/>
    public override Activation Kind => Activation.Softplus;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y) => Elementwise.Unary(x, y, default(ForwardOperator));

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        Elementwise.Binary(x, dy, dx, default(BackwardOperator));
    }

    /// <summary><c>x → max(x, 0) + log1p(e^(−|x|))</c>.</summary>
    private readonly struct ForwardOperator : IUnaryOperator
    {
        public float Invoke(float x) => MathF.Max(x, 0f) + VectorMath.Log1pUnit(MathF.Exp(-MathF.Abs(x)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x)
            where TVec : struct, ISimd<TVec> =>
            TVec.Max(x, TVec.Zero) + VectorMath.Log1pUnit(TVec.Exp(-TVec.Abs(x)));
    }

    /// <summary><c>(x, dy) → dy · σ(x)</c>.</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        public float Invoke(float x, float dy) => dy * VectorMath.Sigmoid(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x, TVec dy)
            where TVec : struct, ISimd<TVec> => dy * VectorMath.Sigmoid(x);
    }
}
