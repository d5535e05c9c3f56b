namespace MlNetDeep.Tuning;

/// <summary>One evaluation of the objective during a search.</summary>
public sealed class Trial
{
    internal Trial(int index, ParameterSet parameters, double value, TimeSpan duration, string? failure, int? prunedAtStep = null)
    {
        PrunedAtStep = prunedAtStep;
        Index = index;
        Parameters = parameters;
        Value = value;
        Duration = duration;
        Failure = failure;
    }

    /// <summary>The trial's position in the search, from 0.</summary>
    public int Index { get; }

    /// <summary>The parameters the objective was evaluated at.</summary>
    public ParameterSet Parameters { get; }

    /// <summary>The value the objective returned (<see cref="double.NaN"/> when it threw).</summary>
    public double Value { get; }

    /// <summary>The wall-clock time the objective took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>
    /// Why the trial failed, or <see langword="null"/> when it succeeded: the exception's type and message, or a
    /// note that the objective returned NaN or an infinity.
    /// </summary>
    public string? Failure { get; }

    /// <summary>Whether the objective returned a finite value (for a pruned trial: reported one).</summary>
    public bool Succeeded => Failure is null;

    /// <summary>
    /// The step at which a pruner stopped the trial, or <see langword="null"/> when it ran to its end. A pruned
    /// trial's <see cref="Value"/> is its best reported value, and it is never a search's best trial.
    /// </summary>
    public int? PrunedAtStep { get; }

    /// <summary>Whether a pruner stopped the trial early.</summary>
    public bool Pruned => PrunedAtStep is not null;

    /// <summary>The trial as text, e.g. <c>#3 units=64 → 0.25 (12 ms)</c> or <c>#4 units=8 → 0.61, pruned at step 3 (4 ms)</c>.</summary>
    public override string ToString() =>
        $"#{Index} {Parameters} → {(Succeeded ? Value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture) : "failed: " + Failure)}{(Pruned ? $", pruned at step {PrunedAtStep}" : string.Empty)} ({Duration.TotalMilliseconds:F0} ms)";
}
