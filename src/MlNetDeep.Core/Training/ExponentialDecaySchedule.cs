namespace MlNetDeep.Training;

/// <summary>
/// Multiplies the rate by <see cref="Gamma"/> every epoch, as <c>torch.optim.lr_scheduler.ExponentialLR</c>:
/// <c>lr(e) = base · γ^e</c>.
/// </summary>
public sealed class ExponentialDecaySchedule : LearningRateScheduler
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseLearningRate">The rate during epoch 0.</param>
    /// <param name="gamma">The per-epoch multiplier in (0, 1].</param>
    public ExponentialDecaySchedule(double baseLearningRate, double gamma)
        : base(baseLearningRate)
    {
        if (!(gamma > 0 && gamma <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), $"The decay rate must be in (0, 1]. Received: gamma={gamma}.");
        }

        Gamma = gamma;
    }

    /// <summary>The per-epoch multiplier γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double LearningRate(int epoch)
    {
        CheckEpoch(epoch);
        return BaseLearningRate * Math.Pow(Gamma, epoch);
    }
}
