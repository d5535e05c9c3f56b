namespace MlNetDeep.Training;

/// <summary>
/// The learning rate as a function of the (0-based) epoch, starting from a base rate. The trainer asks
/// <see cref="LearningRate"/> at the start of every epoch and, when it has a validation set, calls
/// <see cref="Report"/> at the end of every epoch; only <see cref="ReduceOnPlateauSchedule"/> listens, and it keeps
/// state, so give each training a schedule of its own.
/// </summary>
public abstract class LearningRateScheduler
{
    /// <summary>Checks and keeps the base rate.</summary>
    protected LearningRateScheduler(double baseLearningRate)
    {
        if (!(baseLearningRate > 0) || double.IsInfinity(baseLearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(baseLearningRate), $"The learning rate must be positive and finite. Received: learningRate={baseLearningRate}.");
        }

        BaseLearningRate = baseLearningRate;
    }

    /// <summary>The rate the schedule starts from.</summary>
    public double BaseLearningRate { get; }

    /// <summary>The learning rate to use during <paramref name="epoch"/> (0-based).</summary>
    public abstract double LearningRate(int epoch);

    /// <summary>Receives the validation loss at the end of <paramref name="epoch"/>; ignored unless the schedule adapts.</summary>
    public virtual void Report(int epoch, double validationLoss)
    {
    }

    /// <summary>Throws for a negative epoch.</summary>
    protected static void CheckEpoch(int epoch) => ArgumentOutOfRangeException.ThrowIfNegative(epoch);
}
