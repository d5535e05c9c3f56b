using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// The piecewise-linear sigmoid <c>y = clip(slope·x + 0.5, 0, 1)</c>; <c>dx = slope · dy</c> where
/// <c>0 &lt; slope·x + 0.5 &lt; 1</c>, zero on the flat parts. Slope 1/6 is PyTorch's <c>Hardsigmoid</c>
/// and Keras 3's <c>hard_sigmoid</c>; slope 0.2 is Keras 2's.
/// </summary>
internal sealed class HardSigmoid : ActivationFunction
{
    private readonly float _slope;

    /// <summary>Creates the activation with the given positive, finite <paramref name="slope"/>.</summary>
    public HardSigmoid(float slope = ActivationSettings.Defaults.HardSigmoidSlope)
    {
        if (!(slope > 0f) || !float.IsFinite(slope))
        {
            throw new ArgumentOutOfRangeException(nameof(slope), $"The hard sigmoid slope must be positive and finite. Received: slope={slope}.");
        }

        _slope = slope;
    }

    /// <summary>The slope of the linear part.</summary>
    public float Slope => _slope;

    /// <inheritdoc/>
    public override Activation Kind => Activation.HardSigmoid;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y) => Elementwise.Unary(x, y, new ForwardOperator(_slope));

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        Elementwise.Binary(x, dy, dx, new BackwardOperator(_slope));
    }

    /// <summary><c>x → clip(slope·x + 0.5, 0, 1)</c>.</summary>
    private readonly struct ForwardOperator(float slope) : IUnaryOperator
    {
        public float Invoke(float x) => Math.Clamp(float.MultiplyAddEstimate(slope, x, 0.5f), 0f, 1f);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x)
            where TVec : struct, ISimd<TVec> =>
            TVec.Min(TVec.Max(TVec.MultiplyAddEstimate(TVec.Create(slope), x, TVec.Create(0.5f)), TVec.Zero), TVec.One);
    }

    /// <summary><c>(x, dy) → slope·dy</c> inside the linear part, else 0.</summary>
    private readonly struct BackwardOperator(float slope) : IBinaryOperator
    {
        public float Invoke(float x, float dy)
        {
            var z = float.MultiplyAddEstimate(slope, x, 0.5f);
            return z > 0f && z < 1f ? slope * dy : 0f;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x, TVec dy)
            where TVec : struct, ISimd<TVec>
        {
            var z = TVec.MultiplyAddEstimate(TVec.Create(slope), x, TVec.Create(0.5f));
            var inside = TVec.GreaterThan(z, TVec.Zero) & TVec.LessThan(z, TVec.One);
            return inside & (TVec.Create(slope) * dy);
        }
    }
}
