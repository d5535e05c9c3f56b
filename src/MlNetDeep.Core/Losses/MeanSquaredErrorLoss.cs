using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

namespace MlNetDeep.Losses;

/// <summary>
/// Mean squared error as <c>torch.nn.MSELoss</c>: <c>f(z, y) = (z − y)²</c>, <c>∂f/∂z = 2(z − y)</c>; averaged over
/// the outputs of an example, then over the (weighted) batch.
/// </summary>
internal sealed class MeanSquaredErrorLoss(int outputSize) : LossFunction(outputSize)
{
    /// <inheritdoc/>
    protected override double Accumulate(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int batch, float gradientScale, Span<float> outputGradient) =>
        ElementwiseLossLoop.Accumulate(default(SquaredError), OutputSize, output, targets, weights, batch, gradientScale, outputGradient);

    /// <summary><c>(z − y)²</c> and <c>2(z − y)</c>.</summary>
    private readonly struct SquaredError : IElementwiseLoss
    {
        public float Invoke(float z, float y, out float derivative)
        {
            var d = z - y;
            derivative = 2f * d;
            return d * d;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec z, TVec y, out TVec derivative)
            where TVec : struct, ISimd<TVec>
        {
            var d = z - y;
            derivative = d + d;
            return d * d;
        }
    }
}
