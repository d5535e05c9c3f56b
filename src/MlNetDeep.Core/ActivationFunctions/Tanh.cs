using System.Runtime.CompilerServices;
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x)
            where TVec : struct, ISimd<TVec>
        {
            var e = VectorMath.Expm1(TVec.Create(2f) * TVec.Min(TVec.Abs(x), TVec.Create(Limit)));
            return TVec.CopySign(e / (e + TVec.Create(2f)), x);
        }
    }

    /// <summary><c>(y, dy) → dy · (1 − y²)</c>.</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        public float Invoke(float y, float dy) => dy * float.MultiplyAddEstimate(-y, y, 1f);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec y, TVec dy)
            where TVec : struct, ISimd<TVec> => dy * TVec.MultiplyAddEstimate(-y, y, TVec.One);
    }
}
