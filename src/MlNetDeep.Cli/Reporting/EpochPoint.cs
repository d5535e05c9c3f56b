namespace MlNetDeep.Cli.Reporting;

/// <summary>One epoch of a training run, as shown in the progress display and the learning curve.</summary>
/// <param name="Epoch">The 1-based epoch.</param>
/// <param name="TrainingLoss">The mean training loss.</param>
/// <param name="ValidationLoss">The validation loss, or null without a validation set.</param>
/// <param name="ValidationMetric">Validation accuracy (classification) or RMSE (regression), or null.</param>
/// <param name="ElapsedSeconds">Seconds since training started.</param>
internal sealed record EpochPoint(int Epoch, double TrainingLoss, double? ValidationLoss, double? ValidationMetric, double ElapsedSeconds);
