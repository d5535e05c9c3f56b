using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary>The rectified linear unit <c>y = max(0, x)</c>; <c>dx = dy</c> where <c>x &gt; 0</c>, else 0.</summary>
internal sealed class ReLU : ActivationFunction
{
    /// <inheritdoc/>
    public override Activation Kind => Activation.ReLU;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y)
    {
        Elementwise.CheckLengths(x.Length, x.Length, x.Length, y.Length);
        TensorPrimitives.Max(x, 0f, y);
    }

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        Elementwise.Binary(x, dy, dx, default(BackwardOperator));
    }

    /// <summary><c>(x, dy) → x &gt; 0 ? dy : 0</c>.</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        public float Invoke(float x, float dy) => x > 0f ? dy : 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x, TVec dy)
            where TVec : struct, ISimd<TVec> => TVec.GreaterThan(x, TVec.Zero) & dy;
    }
}
