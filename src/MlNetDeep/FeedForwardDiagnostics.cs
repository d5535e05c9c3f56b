using MlNetDeep.Diagnostics;

namespace MlNetDeep;

/// <summary>
/// The per-layer training diagnostics of a model trained with <see cref="FeedForwardTrainerOptionsBase.Diagnostics"/>
/// on (<see cref="FeedForwardModelParameters.Diagnostics"/>): one <see cref="FeedForwardLayerStatistics"/> per epoch
/// and hidden layer, with CSV and JSON export and the layers whose gradients vanish or explode. Read-only.
/// </summary>
public sealed class FeedForwardDiagnostics
{
    private readonly FeedForwardLayerStatistics[] _records;

    internal FeedForwardDiagnostics(TrainingDiagnostics diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        Engine = diagnostics;
        _records = [.. diagnostics.Records.Select(r => new FeedForwardLayerStatistics(r))];
    }

    /// <summary>Every record, by epoch (0, the network as initialized, first) then hidden layer.</summary>
    public IReadOnlyList<FeedForwardLayerStatistics> Records => _records;

    /// <summary>
    /// One sentence per epoch and hidden layer whose gradients vanish (norm below 1e-7, or three orders of magnitude
    /// below the last hidden layer's) or explode (above 1e3, infinite or NaN), with the numbers and the threshold.
    /// </summary>
    public IReadOnlyList<string> GradientWarnings => [.. Engine.FindGradientProblems().Select(w => w.Message)];

    /// <summary>The engine's diagnostics (for persistence and logging).</summary>
    internal TrainingDiagnostics Engine { get; }

    /// <summary>
    /// The records as CSV: one header line, then one line per record, comma-separated, invariant culture, doubles in
    /// round-trip form, empty fields for values that do not apply. Columns: epoch, block (the hidden layer),
    /// activation, normalization, units, rows, pre_activation_mean, pre_activation_std, activation_mean,
    /// activation_std, gradient_norm, weight_norm, update_ratio, dead_fraction, saturated_fraction,
    /// running_mean_average, running_var_average.
    /// </summary>
    public string ToCsv() => Engine.ToCsv();

    /// <summary>
    /// The records as an indented JSON array of objects (properties Epoch, Block (the hidden layer), Activation,
    /// Normalization, Units, Rows, PreActivationMean, PreActivationStd, ActivationMean, ActivationStd, GradientNorm,
    /// WeightNorm, UpdateRatio, DeadFraction, SaturatedFraction, RunningMeanAverage, RunningVarianceAverage), enums as
    /// names, null where a value does not apply, NaN and infinities as the strings "NaN", "Infinity", "-Infinity".
    /// </summary>
    public string ToJson() => Engine.ToJson();

    /// <summary>A few lines: per hidden layer the first and last epoch's activation spread, gradient norm and dead or saturated share.</summary>
    public string Summarize() => Engine.Summarize();

    /// <inheritdoc/>
    public override string ToString() => Summarize();
}
