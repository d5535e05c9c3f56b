using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// The logistic sigmoid <c>y = 1 / (1 + e^(−x))</c> (forward by <see cref="TensorPrimitives.Sigmoid(ReadOnlySpan{float}, Span{float})"/>,
/// which saturates to exactly 0 and 1); <c>dx = dy · y(1 − y)</c> from the cached output.
/// </summary>
internal sealed class Sigmoid : ActivationFunction
{
    /// <inheritdoc/>
    public override Activation Kind => Activation.Sigmoid;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y)
    {
        Elementwise.CheckLengths(x.Length, x.Length, x.Length, y.Length);
        if (!x.IsEmpty)
        {
            // TensorPrimitives.Sigmoid rejects empty spans; an empty batch is simply nothing to do.
            TensorPrimitives.Sigmoid(x, y);
        }
    }

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        Elementwise.Binary(y, dy, dx, default(BackwardOperator));
    }

    /// <summary><c>(y, dy) → dy · y(1 − y)</c>.</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        public float Invoke(float y, float dy) => dy * y * (1f - y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec y, TVec dy)
            where TVec : struct, ISimd<TVec> => dy * y * (TVec.One - y);
    }
}
