namespace MlNetDeep.Training;

/// <summary>The base learning rate at every epoch.</summary>
public sealed class ConstantSchedule(double baseLearningRate) : LearningRateScheduler(baseLearningRate)
{
    /// <inheritdoc/>
    public override double LearningRate(int epoch)
    {
        CheckEpoch(epoch);
        return BaseLearningRate;
    }
}
