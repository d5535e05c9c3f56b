namespace MlNetDeep.Training;

/// <summary>
/// Cosine annealing from the base rate to <see cref="MinLearningRate"/> over the training, after an optional
/// linear warm-up. With <c>W</c> warm-up epochs and <c>T</c> total epochs:
/// <c>lr(e) = base·(e + 1)/W</c> for <c>e &lt; W</c>; then, with <c>t = e − W</c> and <c>P = T − W</c>,
/// <c>lr(e) = min + (base − min)·(1 + cos(π·t/P))/2</c> (<c>torch.optim.lr_scheduler.CosineAnnealingLR</c> over
/// <c>P</c> epochs); <c>lr(e) = min</c> from epoch <c>T</c> on. The last warm-up epoch and the first annealing
/// epoch both use the base rate.
/// </summary>
public sealed class CosineAnnealingSchedule : LearningRateScheduler
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseLearningRate">The peak rate.</param>
    /// <param name="totalEpochs">The number of training epochs <c>T</c>, warm-up included.</param>
    /// <param name="minLearningRate">The floor reached at epoch <c>T</c> (0 ≤ min ≤ base).</param>
    /// <param name="warmupEpochs">The linear warm-up length <c>W</c> (0 ≤ W &lt; T).</param>
    public CosineAnnealingSchedule(double baseLearningRate, int totalEpochs, double minLearningRate = 0, int warmupEpochs = 0)
        : base(baseLearningRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalEpochs, 1);
        if (warmupEpochs < 0 || warmupEpochs >= totalEpochs)
        {
            throw new ArgumentOutOfRangeException(nameof(warmupEpochs), $"Warm-up must be shorter than the training. Received: warmupEpochs={warmupEpochs}, totalEpochs={totalEpochs}.");
        }

        if (!(minLearningRate >= 0 && minLearningRate <= baseLearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), $"The minimum rate must be in [0, {baseLearningRate}]. Received: minLearningRate={minLearningRate}.");
        }

        TotalEpochs = totalEpochs;
        MinLearningRate = minLearningRate;
        WarmupEpochs = warmupEpochs;
    }

    /// <summary>The number of training epochs, warm-up included.</summary>
    public int TotalEpochs { get; }

    /// <summary>The floor of the annealing.</summary>
    public double MinLearningRate { get; }

    /// <summary>The linear warm-up length.</summary>
    public int WarmupEpochs { get; }

    /// <inheritdoc/>
    public override double LearningRate(int epoch)
    {
        CheckEpoch(epoch);
        if (epoch < WarmupEpochs)
        {
            return BaseLearningRate * (epoch + 1) / WarmupEpochs;
        }

        if (epoch >= TotalEpochs)
        {
            return MinLearningRate;
        }

        var progress = (double)(epoch - WarmupEpochs) / (TotalEpochs - WarmupEpochs);
        return MinLearningRate + ((BaseLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * progress)) / 2);
    }
}
