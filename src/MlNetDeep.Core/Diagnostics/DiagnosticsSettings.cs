namespace MlNetDeep.Diagnostics;

/// <summary>
/// Turns on per-layer training diagnostics (see <see cref="DiagnosticsCollector"/>) and says how they are
/// sampled. Set <see cref="Training.TrainingSettings.Diagnostics"/> to an instance to collect them; leaving it
/// null costs nothing.
/// </summary>
public sealed class DiagnosticsSettings
{
    /// <summary>
    /// How many mini-batches of each epoch the activation and gradient statistics are accumulated over: the
    /// first ones of the epoch, which the per-epoch shuffle makes a random sample. 0 (the default) takes every
    /// batch. Weight norms, update ratios and running statistics are read once at the end of each epoch
    /// whatever this is.
    /// </summary>
    public int SampledBatchesPerEpoch { get; init; }

    /// <summary>
    /// Whether to add an epoch-0 record of the network as initialized: one training-mode forward and backward
    /// pass on an evenly strided sample of at most one mini-batch of training rows, before any update. The
    /// pass uses a random stream of its own and restores the running statistics, so training is unchanged.
    /// </summary>
    public bool MeasureInitialState { get; init; } = true;

    /// <summary>
    /// How close to an asymptote an output of a squashing activation counts as saturated: sigmoid and hard
    /// sigmoid outputs ≤ margin or ≥ 1 − margin, tanh and softsign outputs with |y| ≥ 1 − margin. Default 0.01.
    /// </summary>
    public float SaturationMargin { get; init; } = 0.01f;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (SampledBatchesPerEpoch < 0)
        {
            throw new ArgumentException($"Diagnostics.SampledBatchesPerEpoch must be 0 (every batch) or more. Received: SampledBatchesPerEpoch={SampledBatchesPerEpoch}.");
        }

        if (!(SaturationMargin > 0 && SaturationMargin < 0.5f))
        {
            throw new ArgumentException($"Diagnostics.SaturationMargin must be in (0, 0.5). Received: SaturationMargin={SaturationMargin}.");
        }
    }
}
