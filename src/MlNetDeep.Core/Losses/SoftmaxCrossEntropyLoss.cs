using System.Numerics.Tensors;

namespace MlNetDeep.Losses;

/// <summary>
/// Softmax cross-entropy fused with the softmax, as <c>torch.nn.CrossEntropyLoss</c> on logits <c>[batch, classes]</c>
/// with one class index per example (stored as a float): <c>ℓ = logsumexp(z) − z[label]</c> with
/// <c>logsumexp(z) = m + log Σ e^(zⱼ − m)</c>, <c>m = max z</c>, finite for any finite logits;
/// <c>∂ℓ/∂z = softmax(z) − onehot(label)</c>.
/// With label smoothing ε (<c>torch.nn.CrossEntropyLoss(label_smoothing=ε)</c>) the target is
/// <c>t = (1 − ε)·onehot(label) + ε/K</c> over the <c>K</c> classes: <c>ℓ = logsumexp(z) − Σⱼ tⱼzⱼ
/// = logsumexp(z) − z[label] + ε·(z[label] − mean(z))</c>, <c>∂ℓ/∂z = softmax(z) − t</c>.
/// </summary>
/// <param name="classes">The number of classes <c>K</c>, at least 1.</param>
/// <param name="labelSmoothing">The label smoothing ε in [0, 1); 0, the default, is plain cross-entropy.</param>
internal sealed class SoftmaxCrossEntropyLoss(int classes, float labelSmoothing = 0f) : ClassificationLoss(classes, labelSmoothing)
{
    /// <summary>The smoothed target of every class but the label, <c>ε/K</c>.</summary>
    private readonly float _offTarget = labelSmoothing / classes;

    /// <inheritdoc/>
    public override int TargetSize => 1;

    /// <inheritdoc/>
    public override int CountCorrect(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, int batch)
    {
        if (output.Length < batch * OutputSize || targets.Length < batch)
        {
            throw new ArgumentException($"A batch of {batch} needs {batch * OutputSize} logits and {batch} labels; received {output.Length} and {targets.Length}.");
        }

        var correct = 0;
        for (var i = 0; i < batch; i++)
        {
            if (TensorPrimitives.IndexOfMax(output.Slice(i * OutputSize, OutputSize)) == Label(targets[i]))
            {
                correct++;
            }
        }

        return correct;
    }

    /// <inheritdoc/>
    protected override double Accumulate(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int batch, float gradientScale, Span<float> outputGradient)
    {
        var k = OutputSize;
        var sum = 0.0;
        for (var i = 0; i < batch; i++)
        {
            var z = output.Slice(i * k, k);
            var label = Label(targets[i]);
            var w = weights.IsEmpty ? 1f : weights[i];
            var max = TensorPrimitives.Max(z);
            double expSum;
            if (outputGradient.IsEmpty)
            {
                // Evaluation only: no buffer to hold the exponentials, so sum them in double.
                expSum = 0;
                foreach (var value in z)
                {
                    expSum += Math.Exp(value - max);
                }
            }
            else
            {
                var g = outputGradient.Slice(i * k, k);
                TensorPrimitives.Subtract(z, max, g);
                TensorPrimitives.Exp(g, g);
                expSum = TensorPrimitives.Sum<float>(g);
                var c = gradientScale * w;
                TensorPrimitives.Multiply(g, (float)(c / expSum), g);
                if (LabelSmoothing == 0f)
                {
                    g[label] -= c;
                }
                else
                {
                    // c·(softmax − t): every class loses c·ε/K, the label c·(1 − ε) more.
                    TensorPrimitives.Subtract(g, c * _offTarget, g);
                    g[label] -= c * (1f - LabelSmoothing);
                }
            }

            var loss = max + Math.Log(expSum) - z[label];
            if (LabelSmoothing != 0f)
            {
                var zSum = 0.0;
                foreach (var value in z)
                {
                    zSum += value;
                }

                loss += LabelSmoothing * (z[label] - (zSum / k));
            }

            sum += w * loss;
        }

        return sum;
    }

    /// <summary>The class index stored in a float target, checked against the number of classes.</summary>
    private int Label(float target)
    {
        var label = (int)target;
        if (label != target || label < 0 || label >= OutputSize)
        {
            throw new ArgumentException($"Class labels must be integers in [0, {OutputSize}). Received: label={target}.");
        }

        return label;
    }
}
