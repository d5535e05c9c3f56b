using System.Runtime.Intrinsics;

namespace MlNetDeep.Losses;

/// <summary>
/// Binary cross-entropy on logits fused with the sigmoid, as <c>torch.nn.BCEWithLogitsLoss</c>, in the stable form
/// <c>f(z, y) = max(z, 0) − z·y + log(1 + e^−|z|)</c>, <c>∂f/∂z = σ(z) − y</c> (σ computed from <c>e^−|z|</c> so it never
/// overflows). Targets are probabilities in [0, 1]; one logit per independent binary output, averaged over the
/// outputs of an example, then over the (weighted) batch.
/// </summary>
internal sealed class SigmoidBinaryCrossEntropyLoss(int outputSize) : ClassificationLoss(outputSize)
{
    /// <inheritdoc/>
    public override int CountCorrect(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, int batch)
    {
        var n = batch * OutputSize;
        if (output.Length < n || targets.Length < n)
        {
            throw new ArgumentException($"A batch of {batch} needs {n} logits and targets; received {output.Length} and {targets.Length}.");
        }

        var correct = 0;
        for (var i = 0; i < n; i++)
        {
            if ((output[i] > 0f) == (targets[i] > 0.5f))
            {
                correct++;
            }
        }

        return correct;
    }

    /// <inheritdoc/>
    protected override double Accumulate(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int batch, float gradientScale, Span<float> outputGradient) =>
        ElementwiseLossLoop.Accumulate(default(LogisticLoss), OutputSize, output, targets, weights, batch, gradientScale, outputGradient);

    /// <summary>The stable logistic loss and its derivative.</summary>
    private readonly struct LogisticLoss : IElementwiseLoss
    {
        public float Invoke(float z, float y, out float derivative)
        {
            var e = MathF.Exp(-MathF.Abs(z));
            var r = 1f / (1f + e);
            derivative = (z >= 0f ? r : e * r) - y;
            return MathF.Max(z, 0f) - (z * y) + MathF.Log(1f + e);
        }

        public Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, out Vector128<float> derivative)
        {
            var e = Vector128.Exp(-Vector128.Abs(z));
            var onePlus = Vector128<float>.One + e;
            var r = Vector128<float>.One / onePlus;
            derivative = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(z, Vector128<float>.Zero), r, e * r) - y;
            return Vector128.Max(z, Vector128<float>.Zero) - (z * y) + Vector128.Log(onePlus);
        }

        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, out Vector256<float> derivative)
        {
            var e = Vector256.Exp(-Vector256.Abs(z));
            var onePlus = Vector256<float>.One + e;
            var r = Vector256<float>.One / onePlus;
            derivative = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<float>.Zero), r, e * r) - y;
            return Vector256.Max(z, Vector256<float>.Zero) - (z * y) + Vector256.Log(onePlus);
        }

        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, out Vector512<float> derivative)
        {
            var e = Vector512.Exp(-Vector512.Abs(z));
            var onePlus = Vector512<float>.One + e;
            var r = Vector512<float>.One / onePlus;
            derivative = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<float>.Zero), r, e * r) - y;
            return Vector512.Max(z, Vector512<float>.Zero) - (z * y) + Vector512.Log(onePlus);
        }
    }
}
