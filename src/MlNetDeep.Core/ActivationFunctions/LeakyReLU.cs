using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// <c>y = x</c> for <c>x &gt; 0</c>, <c>αx</c> otherwise (α = 0.01 by default, as PyTorch's <c>LeakyReLU</c>);
/// <c>dx = dy</c> or <c>α·dy</c>.
/// </summary>
internal sealed class LeakyReLU : ActivationFunction
{
    private readonly float _slope;

    /// <summary>Creates the activation with the finite negative-side <paramref name="slope"/> α.</summary>
    public LeakyReLU(float slope = ActivationSettings.Defaults.LeakyReLUSlope)
    {
        if (!float.IsFinite(slope))
        {
            throw new ArgumentOutOfRangeException(nameof(slope), $"The leaky ReLU slope must be finite. Received: slope={slope}.");
        }

        _slope = slope;
    }

    /// <summary>The slope α for non-positive input.</summary>
    public float Slope => _slope;

    /// <inheritdoc/>
    public override Activation Kind => Activation.LeakyReLU;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y) => Elementwise.Unary(x, y, new Operator(_slope));

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        Elementwise.Binary(x, dy, dx, new Operator(_slope));
    }

    /// <summary>
    /// Forward <c>x → x &gt; 0 ? x : αx</c> and backward <c>(x, v) → x &gt; 0 ? v : αv</c>: the same
    /// sign-selected scaling, applied to the input or to the output gradient.
    /// </summary>
    private readonly struct Operator(float slope) : IUnaryOperator, IBinaryOperator
    {
        public float Invoke(float x) => Invoke(x, x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x)
            where TVec : struct, ISimd<TVec> => Invoke(x, x);

        public float Invoke(float x, float v) => x > 0f ? v : slope * v;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x, TVec v)
            where TVec : struct, ISimd<TVec> =>
            TVec.ConditionalSelect(TVec.GreaterThan(x, TVec.Zero), v, TVec.Create(slope) * v);
    }
}
