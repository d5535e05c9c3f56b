using System.Runtime.CompilerServices;
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x)
            where TVec : struct, ISimd<TVec> => x / (TVec.One + TVec.Exp(-x));
    }

    /// <summary><c>(x, dy) → dy · (σ(x) + x·σ'(x))</c>.</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        public float Invoke(float x, float dy)
        {
            var s = VectorMath.SigmoidWithDerivative(x, out var ds);
            return dy * float.MultiplyAddEstimate(x, ds, s);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x, TVec dy)
            where TVec : struct, ISimd<TVec>
        {
            var s = VectorMath.SigmoidWithDerivative(x, out var ds);
            return dy * TVec.MultiplyAddEstimate(x, ds, s);
        }
    }
}
