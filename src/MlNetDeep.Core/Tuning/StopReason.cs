namespace MlNetDeep.Tuning;

/// <summary>Why a search ended.</summary>
public enum StopReason
{
    /// <summary>All <c>maxTrials</c> trials ran.</summary>
    TrialBudget,
    /// <summary>The time budget <c>maxDuration</c> ran out (the trial in flight was allowed to finish).</summary>
    TimeBudget,
    /// <summary>The cancellation token was signalled (the trial in flight was allowed to finish).</summary>
    Cancelled,
}
