using System.Numerics.Tensors;

namespace MlNetDeep.Losses;

/// <summary>
/// Softmax cross-entropy fused with the softmax, as <c>torch.nn.CrossEntropyLoss</c> on logits <c>[batch, classes]</c>
/// with one class index per example (stored as a float): <c>ℓ = logsumexp(z) − z[label]</c> with
/// <c>logsumexp(z) = m + log Σ e^(zⱼ − m)</c>, <c>m = max z</c>, finite for any finite logits;
/// <c>∂ℓ/∂z = softmax(z) − onehot(label)</c>.
/// </summary>
internal sealed class SoftmaxCrossEntropyLoss(int classes) : ClassificationLoss(classes)
{
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
                g[label] -= c;
            }

            var loss = max + Math.Log(expSum) - z[label];
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
