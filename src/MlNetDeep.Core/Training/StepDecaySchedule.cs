namespace MlNetDeep.Training;

/// <summary>
/// Multiplies the rate by <see cref="Factor"/> every <see cref="StepEpochs"/> epochs, as <c>torch.optim.lr_scheduler.StepLR</c>:
/// <c>lr(e) = base · factor^⌊e / step⌋</c>.
/// </summary>
public sealed class StepDecaySchedule : LearningRateScheduler
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseLearningRate">The rate during the first <paramref name="stepEpochs"/> epochs.</param>
    /// <param name="factor">The multiplier in (0, 1].</param>
    /// <param name="stepEpochs">Epochs between reductions (at least 1).</param>
    public StepDecaySchedule(double baseLearningRate, double factor, int stepEpochs)
        : base(baseLearningRate)
    {
        if (!(factor > 0 && factor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), $"The decay factor must be in (0, 1]. Received: factor={factor}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(stepEpochs, 1);
        Factor = factor;
        StepEpochs = stepEpochs;
    }

    /// <summary>The multiplier applied at each step.</summary>
    public double Factor { get; }

    /// <summary>Epochs between reductions.</summary>
    public int StepEpochs { get; }

    /// <inheritdoc/>
    public override double LearningRate(int epoch)
    {
        CheckEpoch(epoch);
        return BaseLearningRate * Math.Pow(Factor, epoch / StepEpochs);
    }
}
