namespace MlNetDeep.Tuning;

/// <summary>
/// Handed to an objective run with pruning: the trial reports its value after each step (e.g. the validation metric
/// after each epoch) and stops when told to.
/// </summary>
/// <remarks>
/// Report the same metric the objective returns, in the same sense (lower is better in
/// <see cref="HyperparameterOptimizer.Minimize(Func{ParameterSet, TrialReporter, double}, TrialPruner, int, TimeSpan?, Action{Trial}?, CancellationToken)"/>,
/// higher in <c>Maximize</c>). When <see cref="Report"/> returns <see langword="true"/>, the objective should return
/// at once; whatever it returns then is ignored, and the trial is recorded as pruned with its best reported value.
/// </remarks>
public sealed class TrialReporter
{
    private readonly TrialPruner _pruner;
    private readonly int _sign;

    internal TrialReporter(TrialPruner pruner, int trialIndex, int sign)
    {
        _pruner = pruner;
        TrialIndex = trialIndex;
        _sign = sign;
    }

    /// <summary>The trial's position in the search, from 0 (its id for the pruner).</summary>
    public int TrialIndex { get; }

    /// <summary>Whether the pruner has stopped this trial.</summary>
    public bool ShouldStop { get; private set; }

    /// <summary>Reports the trial's value after <paramref name="step"/> and returns whether it should stop now.</summary>
    /// <param name="step">The step just finished (e.g. epochs so far), from 1, increasing.</param>
    /// <param name="value">The objective's metric after that step; NaN stops the trial.</param>
    public bool Report(int step, double value)
    {
        if (!ShouldStop && _pruner.Report(TrialIndex, step, _sign * value))
        {
            ShouldStop = true;
        }

        return ShouldStop;
    }
}
