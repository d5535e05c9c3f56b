using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec z, TVec y, out TVec derivative)
            where TVec : struct, ISimd<TVec>
        {
            var e = TVec.Exp(-TVec.Abs(z));
            var onePlus = TVec.One + e;
            var r = TVec.One / onePlus;
            derivative = TVec.ConditionalSelect(TVec.GreaterThanOrEqual(z, TVec.Zero), r, e * r) - y;
            return TVec.Max(z, TVec.Zero) - (z * y) + TVec.Log(onePlus);
        }
    }
}
