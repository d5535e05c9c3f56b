namespace MlNetDeep.Tuning;

/// <summary>
/// The <see cref="FeedForwardTrainerOptionsBase.Progress"/> of a trial searched with pruning: hands every epoch to the
/// progress the base options set, then reports the epoch's value of the tuning metric to the trial's
/// <see cref="TrialReporter"/>, and stops the training at once, by throwing <see cref="TrialPrunedException"/> from
/// the training thread, when the pruner says so.
/// </summary>
/// <param name="reporter">The trial's reporter.</param>
/// <param name="read">Reads the tuning metric from an epoch's record (null: the epoch has no validation value).</param>
/// <param name="inner">The progress of the base options, or null.</param>
internal sealed class TrialPruningProgress(TrialReporter reporter, Func<TrainingEpoch, double?> read, IProgress<TrainingEpoch>? inner) : IProgress<TrainingEpoch>
{
    /// <inheritdoc/>
    public void Report(TrainingEpoch value)
    {
        ArgumentNullException.ThrowIfNull(value);
        inner?.Report(value);
        if (read(value) is { } metric && reporter.Report(value.Epoch, metric))
        {
            throw new TrialPrunedException(reporter.TrialIndex, value.Epoch);
        }
    }
}
