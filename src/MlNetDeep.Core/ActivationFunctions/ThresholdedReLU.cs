using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// <c>y = x</c> when <c>x &gt; θ</c>, zero otherwise (θ = 1 by default, as Keras' <c>ThresholdedReLU</c>);
/// <c>dx = dy</c> where <c>x &gt; θ</c>, else 0.
/// </summary>
internal sealed class ThresholdedReLU : ActivationFunction
{
    private readonly float _theta;

    /// <summary>Creates the activation with the finite, non-negative threshold <paramref name="theta"/>.</summary>
    public ThresholdedReLU(float theta = ActivationSettings.Defaults.ThresholdedReLUTheta)
    {
        if (!(theta >= 0f) || !float.IsFinite(theta))
        {
            throw new ArgumentOutOfRangeException(nameof(theta), $"The thresholded ReLU threshold must be finite and non-negative. Received: theta={theta}.");
        }

        _theta = theta;
    }

    /// <summary>The threshold θ.</summary>
    public float Theta => _theta;

    /// <inheritdoc/>
    public override Activation Kind => Activation.ThresholdedReLU;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y) => Elementwise.Unary(x, y, new Operator(_theta));

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        Elementwise.Binary(x, dy, dx, new Operator(_theta));
    }

    /// <summary>
    /// Forward <c>x → x &gt; θ ? x : 0</c> and backward <c>(x, v) → x &gt; θ ? v : 0</c>: the same mask,
    /// applied to the input or to the output gradient.
    /// </summary>
    private readonly struct Operator(float theta) : IUnaryOperator, IBinaryOperator
    {
        public float Invoke(float x) => Invoke(x, x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x)
            where TVec : struct, ISimd<TVec> => Invoke(x, x);

        public float Invoke(float x, float v) => x > theta ? v : 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x, TVec v)
            where TVec : struct, ISimd<TVec> => TVec.GreaterThan(x, TVec.Create(theta)) & v;
    }
}
