namespace MlNetDeep.Tuning;

/// <summary>What a search found, with every trial in the order it ran.</summary>
public sealed class OptimizationResult
{
    internal OptimizationResult(ParameterSet? bestParameters, double bestValue, IReadOnlyList<Trial> trials, StopReason stopReason, TimeSpan elapsed)
    {
        BestParameters = bestParameters;
        BestValue = bestValue;
        Trials = trials;
        StopReason = stopReason;
        Elapsed = elapsed;
    }

    /// <summary>The parameters of the best successful trial (lowest value when minimizing, highest when maximizing), or <see langword="null"/> when no trial succeeded.</summary>
    public ParameterSet? BestParameters { get; }

    /// <summary>The objective's value at <see cref="BestParameters"/>, or <see cref="double.NaN"/> when no trial succeeded.</summary>
    public double BestValue { get; }

    /// <summary>Every trial, failed ones included, in the order they ran.</summary>
    public IReadOnlyList<Trial> Trials { get; }

    /// <summary>Why the search ended.</summary>
    public StopReason StopReason { get; }

    /// <summary>The wall-clock time of the whole search, proposals included.</summary>
    public TimeSpan Elapsed { get; }
}
