namespace MlNetDeep.Tuning;

/// <summary>
/// How a search stops unpromising trials early from the validation metric they report after each epoch (step);
/// <see cref="TrialPruner.Create(TrialPruning)"/> makes the matching pruner.
/// </summary>
public enum TrialPruning
{
    /// <summary>Every trial runs to its end.</summary>
    None,

    /// <summary>
    /// <see cref="MedianPruner"/>: a trial stops when its best value so far is worse than the median of the
    /// completed trials' values at the same step, once a few trials have completed and after a few warm-up steps
    /// (as Optuna's <c>MedianPruner</c>).
    /// </summary>
    Median,

    /// <summary>
    /// <see cref="SuccessiveHalvingPruner"/>: asynchronous successive halving (ASHA); at rungs placed at a geometric
    /// series of steps, a trial continues only when it ranks in the top 1/η of the trials that reached that rung.
    /// </summary>
    SuccessiveHalving,
}
