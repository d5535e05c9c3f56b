using System.Runtime.Intrinsics;

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

        public Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, out Vector128<float> derivative)
        {
            var d = z - y;
            derivative = d + d;
            return d * d;
        }

        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, out Vector256<float> derivative)
        {
            var d = z - y;
            derivative = d + d;
            return d * d;
        }

        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, out Vector512<float> derivative)
        {
            var d = z - y;
            derivative = d + d;
            return d * d;
        }
    }
}
