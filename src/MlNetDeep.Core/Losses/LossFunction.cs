using System.Numerics.Tensors;

namespace MlNetDeep.Losses;

/// <summary>
/// A training loss over a mini-batch of network outputs <c>[batch, OutputSize]</c> and targets
/// <c>[batch, TargetSize]</c>, with optional per-example weights <c>[batch]</c>.
/// </summary>
/// <remarks>
/// Every loss is a per-example loss <c>ℓᵢ</c> (for multi-output regression the mean over the row's outputs)
/// reduced as <c>L = Σ wᵢ·ℓᵢ / Σ wᵢ</c>, which without weights is PyTorch's <c>reduction='mean'</c> over all
/// elements. <see cref="LossAndGradient"/> also writes <c>∂L/∂output</c>, already divided by the weight sum,
/// so the network back-propagates it as is. <see cref="LossSum"/> returns <c>Σ wᵢ·ℓᵢ</c> without a gradient so an
/// evaluation can add batches and divide once by the total weight. Nothing allocates.
/// </remarks>
internal abstract class LossFunction
{
    /// <summary>Sets the number of network outputs per example.</summary>
    protected LossFunction(int outputSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        OutputSize = outputSize;
    }

    /// <summary>Network outputs per example (classes, or regression targets).</summary>
    public int OutputSize { get; }

    /// <summary>Target values per example: <see cref="OutputSize"/>, or 1 for a class index.</summary>
    public virtual int TargetSize => OutputSize;

    /// <summary>
    /// Returns <c>L = Σ wᵢ·ℓᵢ / Σ wᵢ</c> (the plain mean when <paramref name="weights"/> is empty) and writes
    /// <c>∂L/∂output</c> <c>[batch, OutputSize]</c> into <paramref name="outputGradient"/>.
    /// </summary>
    public double LossAndGradient(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int batch, Span<float> outputGradient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (outputGradient.Length < batch * OutputSize)
        {
            throw new ArgumentException($"The output gradient needs {batch * OutputSize} values for a batch of {batch}; received {outputGradient.Length}.", nameof(outputGradient));
        }

        var weightSum = CheckAndSumWeights(output, targets, weights, batch);
        if (!(weightSum > 0))
        {
            throw new ArgumentException($"The example weights must not sum to zero. Received: sum={weightSum}.", nameof(weights));
        }

        var scale = 1.0 / weightSum;
        return Accumulate(output[..(batch * OutputSize)], targets[..(batch * TargetSize)], Trim(weights, batch), batch, (float)scale, outputGradient[..(batch * OutputSize)]) * scale;
    }

    /// <summary>Returns <c>Σ wᵢ·ℓᵢ</c> (<c>Σ ℓᵢ</c> without weights) for evaluation, without a gradient.</summary>
    public double LossSum(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (batch == 0)
        {
            return 0;
        }

        CheckAndSumWeights(output, targets, weights, batch);
        return Accumulate(output[..(batch * OutputSize)], targets[..(batch * TargetSize)], Trim(weights, batch), batch, 0f, default);
    }

    /// <summary>Returns <c>Σ wᵢ·ℓᵢ / Σ wᵢ</c> without a gradient.</summary>
    public double Loss(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var weightSum = CheckAndSumWeights(output, targets, weights, batch);
        if (!(weightSum > 0))
        {
            throw new ArgumentException($"The example weights must not sum to zero. Received: sum={weightSum}.", nameof(weights));
        }

        return Accumulate(output[..(batch * OutputSize)], targets[..(batch * TargetSize)], Trim(weights, batch), batch, 0f, default) / weightSum;
    }

    /// <summary>
    /// Returns <c>Σ wᵢ·ℓᵢ</c> (<c>wᵢ = 1</c> when <paramref name="weights"/> is empty) and, when
    /// <paramref name="outputGradient"/> is not empty, writes <c>gradientScale·wᵢ·∂ℓᵢ/∂output</c> into it.
    /// All spans are exactly <paramref name="batch"/> rows long.
    /// </summary>
    protected abstract double Accumulate(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int batch, float gradientScale, Span<float> outputGradient);

    /// <summary>
    /// <see cref="Accumulate"/> for another loss built on this one (an ensemble's mean of its members' losses): the spans are
    /// exactly <paramref name="batch"/> rows long and checked by the caller.
    /// </summary>
    internal double AccumulateRows(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int batch, float gradientScale, Span<float> outputGradient)
        => Accumulate(output[..(batch * OutputSize)], targets[..(batch * TargetSize)], weights, batch, gradientScale, outputGradient.IsEmpty ? outputGradient : outputGradient[..(batch * OutputSize)]);

    private static ReadOnlySpan<float> Trim(ReadOnlySpan<float> weights, int batch) => weights.IsEmpty ? weights : weights[..batch];

    /// <summary>Checks the span lengths and weights and returns the weight sum (the batch size without weights).</summary>
    private double CheckAndSumWeights(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int batch)
    {
        if (output.Length < batch * OutputSize || targets.Length < batch * TargetSize)
        {
            throw new ArgumentException(
                $"A batch of {batch} needs {batch * OutputSize} outputs and {batch * TargetSize} targets; received {output.Length} and {targets.Length}.");
        }

        if (weights.IsEmpty)
        {
            return batch;
        }

        if (weights.Length < batch)
        {
            throw new ArgumentException($"A batch of {batch} needs {batch} example weights; received {weights.Length}.", nameof(weights));
        }

        weights = weights[..batch];
        var min = TensorPrimitives.Min(weights);
        if (!(min >= 0f) || !float.IsFinite(TensorPrimitives.Max(weights)))
        {
            throw new ArgumentException($"Example weights must be finite and non-negative. Received: min={min}.", nameof(weights));
        }

        var sum = 0.0;
        foreach (var w in weights)
        {
            sum += w;
        }

        return sum;
    }
}
