namespace MlNetDeep.Tuning;

/// <summary>
/// Thrown by <see cref="TrialPruningProgress"/> on the training thread to stop a trial's training when the pruner stops
/// the trial; the tuner's objective catches it, so it never reaches the caller.
/// </summary>
internal sealed class TrialPrunedException : Exception
{
    /// <summary>Creates the exception for trial <paramref name="trial"/> stopped after <paramref name="epoch"/>.</summary>
    public TrialPrunedException(int trial, int epoch)
        : base($"Trial {trial} was pruned after epoch {epoch}.")
    {
    }
}
