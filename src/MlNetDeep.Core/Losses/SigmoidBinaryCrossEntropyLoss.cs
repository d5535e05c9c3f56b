using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

namespace MlNetDeep.Losses;

/// <summary>
/// Binary cross-entropy on logits fused with the sigmoid, as <c>torch.nn.BCEWithLogitsLoss</c>, in the stable form
/// <c>f(z, y) = max(z, 0) − z·y + log(1 + e^−|z|)</c>, <c>∂f/∂z = σ(z) − y</c> (σ computed from <c>e^−|z|</c> so it never
/// overflows). Targets are probabilities in [0, 1]; one logit per independent binary output, averaged over the
/// outputs of an example, then over the (weighted) batch.
/// With label smoothing ε each target moves towards one half, <c>y′ = y·(1 − ε) + ε/2</c> (Keras's
/// <c>binary_crossentropy(label_smoothing=ε)</c>), and <c>f(z, y′)</c>, <c>∂f/∂z = σ(z) − y′</c> are taken on it.
/// </summary>
/// <param name="outputSize">Independent binary outputs per example.</param>
/// <param name="labelSmoothing">The label smoothing ε in [0, 1); 0, the default, takes the targets as they are.</param>
internal sealed class SigmoidBinaryCrossEntropyLoss(int outputSize, float labelSmoothing = 0f) : ClassificationLoss(outputSize, labelSmoothing)
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
        LabelSmoothing == 0f
            ? ElementwiseLossLoop.Accumulate(default(LogisticLoss), OutputSize, output, targets, weights, batch, gradientScale, outputGradient)
            : ElementwiseLossLoop.Accumulate(new SmoothedLogisticLoss(LabelSmoothing), OutputSize, output, targets, weights, batch, gradientScale, outputGradient);

    /// <summary>The logistic loss on the smoothed target <c>y·(1 − ε) + ε/2</c>.</summary>
    private readonly struct SmoothedLogisticLoss(float labelSmoothing) : IElementwiseLoss
    {
        private readonly float _keep = 1f - labelSmoothing;
        private readonly float _half = 0.5f * labelSmoothing;

        public float Invoke(float z, float y, out float derivative) =>
            default(LogisticLoss).Invoke(z, (y * _keep) + _half, out derivative);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec z, TVec y, out TVec derivative)
            where TVec : struct, ISimd<TVec> =>
            default(LogisticLoss).Invoke(z, (y * TVec.Create(_keep)) + TVec.Create(_half), out derivative);
    }

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
