namespace MlNetDeep.Training;

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainingLoss">The mean training loss over the epoch's mini-batches (weighted).</param>
/// <param name="ValidationLoss">The loss on the held-out rows, or null without a validation set.</param>
/// <param name="ValidationMetric">Accuracy (classification) or RMSE on the original scale (regression) on the held-out rows, or null.</param>
/// <param name="LearningRate">The learning rate used in this epoch.</param>
/// <param name="ElapsedSeconds">Seconds since training started, at the end of this epoch.</param>
internal sealed record EpochRecord(int Epoch, double TrainingLoss, double? ValidationLoss, double? ValidationMetric, double LearningRate, double ElapsedSeconds);
