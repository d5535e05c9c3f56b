using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlNetDeep.Diagnostics;

/// <summary>
/// The per-epoch, per-block diagnostics of one training run (see <see cref="LayerDiagnostics"/>), with CSV and
/// JSON export and a check for vanishing and exploding gradients.
/// </summary>
public sealed class TrainingDiagnostics
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly string[] CsvColumns =
    [
        "epoch", "block", "activation", "normalization", "units", "rows",
        "pre_activation_mean", "pre_activation_std", "activation_mean", "activation_std",
        "gradient_norm", "weight_norm", "update_ratio", "dead_fraction", "saturated_fraction",
        "running_mean_average", "running_var_average",
    ];

    private readonly LayerDiagnostics[] _records;

    /// <summary>Wraps <paramref name="records"/>, kept in the order given (epoch, then block).</summary>
    public TrainingDiagnostics(IEnumerable<LayerDiagnostics> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        _records = [.. records];
    }

    /// <summary>Every record, by epoch then block.</summary>
    public IReadOnlyList<LayerDiagnostics> Records => _records;

    /// <summary>The epochs that have records (0 first when the initial state was measured).</summary>
    public IReadOnlyList<int> Epochs => _records.Select(r => r.Epoch).Distinct().ToArray();

    /// <summary>The records of one epoch, by block; empty when the epoch has none.</summary>
    public IReadOnlyList<LayerDiagnostics> ForEpoch(int epoch) => _records.Where(r => r.Epoch == epoch).ToArray();

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    /// <exception cref="JsonException">The text is not such a document.</exception>
    public static TrainingDiagnostics FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var records = JsonSerializer.Deserialize<LayerDiagnostics[]>(json, JsonOptions)
            ?? throw new JsonException("The diagnostics JSON holds null instead of an array of records.");
        return new TrainingDiagnostics(records);
    }

    /// <summary>
    /// The records as a JSON array of objects with the <see cref="LayerDiagnostics"/> property names, enums as
    /// names, NaN and infinities as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.
    /// </summary>
    public string ToJson() => JsonSerializer.Serialize(_records, JsonOptions);

    /// <summary>
    /// Writes one header line, then one line per record, comma-separated, invariant culture, doubles in
    /// round-trip form, empty fields for values that do not apply. Columns: epoch, block, activation,
    /// normalization, units, rows, pre_activation_mean, pre_activation_std, activation_mean, activation_std,
    /// gradient_norm, weight_norm, update_ratio, dead_fraction, saturated_fraction, running_mean_average,
    /// running_var_average.
    /// </summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(string.Join(',', CsvColumns));
        foreach (var r in _records)
        {
            writer.WriteLine(string.Join(
                ',',
                Format(r.Epoch),
                Format(r.Block),
                r.Activation.ToString(),
                r.Normalization.ToString(),
                Format(r.Units),
                r.Rows.ToString(CultureInfo.InvariantCulture),
                Format(r.PreActivationMean),
                Format(r.PreActivationStd),
                Format(r.ActivationMean),
                Format(r.ActivationStd),
                Format(r.GradientNorm),
                Format(r.WeightNorm),
                Format(r.UpdateRatio),
                Format(r.DeadFraction),
                Format(r.SaturatedFraction),
                Format(r.RunningMeanAverage),
                Format(r.RunningVarianceAverage)));
        }
    }

    /// <summary>The CSV text <see cref="WriteCsv"/> writes.</summary>
    public string ToCsv()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        WriteCsv(writer);
        return writer.ToString();
    }

    /// <summary>
    /// Finds the blocks whose gradients vanish or explode, epoch by epoch: exploding when the gradient norm is
    /// NaN, infinite or above <paramref name="explodingNorm"/>; vanishing when it is below
    /// <paramref name="vanishingNorm"/>, or below <paramref name="vanishingRatio"/> times the last hidden
    /// block's norm in the same epoch (gradients shrinking by orders of magnitude on the way back to the input).
    /// At most one warning per block and epoch.
    /// </summary>
    public IReadOnlyList<GradientWarning> FindGradientProblems(
        double vanishingNorm = Defaults.VanishingGradientNorm,
        double explodingNorm = Defaults.ExplodingGradientNorm,
        double vanishingRatio = Defaults.VanishingGradientRatio)
    {
        var warnings = new List<GradientWarning>();
        foreach (var epoch in _records.GroupBy(r => r.Epoch))
        {
            var blocks = epoch.OrderBy(r => r.Block).ToArray();
            var last = blocks[^1].GradientNorm;
            foreach (var r in blocks)
            {
                var norm = r.GradientNorm;
                var where = r.Epoch == 0 ? "at initialization" : $"in epoch {r.Epoch}";
                if (!double.IsFinite(norm) || norm > explodingNorm)
                {
                    warnings.Add(new GradientWarning(r.Epoch, r.Block, GradientProblem.Exploding, norm,
                        $"Exploding gradients in hidden layer {r.Block} {where}: gradient norm {Format(norm)} (threshold {Format(explodingNorm)})."));
                }
                else if (norm < vanishingNorm)
                {
                    warnings.Add(new GradientWarning(r.Epoch, r.Block, GradientProblem.Vanishing, norm,
                        $"Vanishing gradients in hidden layer {r.Block} {where}: gradient norm {Format(norm)} (threshold {Format(vanishingNorm)})."));
                }
                else if (r.Block != blocks[^1].Block && double.IsFinite(last) && norm < vanishingRatio * last)
                {
                    warnings.Add(new GradientWarning(r.Epoch, r.Block, GradientProblem.Vanishing, norm,
                        $"Vanishing gradients in hidden layer {r.Block} {where}: gradient norm {Format(norm)} is {Math.Log10(last / norm):0.#} orders of magnitude below the last hidden layer's {Format(last)}."));
                }
            }
        }

        return warnings;
    }

    /// <summary>
    /// A few human-readable lines: per block, the first and last epoch's activation standard deviation,
    /// gradient norm, and dead or saturated share, then every gradient warning of the last epoch (and of the
    /// initial state) with the default thresholds.
    /// </summary>
    public string Summarize()
    {
        if (_records.Length == 0)
        {
            return "No diagnostics were recorded.";
        }

        var builder = new StringBuilder();
        var first = _records.Min(r => r.Epoch);
        var lastEpoch = _records.Max(r => r.Epoch);
        builder.Append(CultureInfo.InvariantCulture, $"Per-layer diagnostics, epoch {first} → {lastEpoch}:").AppendLine();
        foreach (var block in _records.GroupBy(r => r.Block).OrderBy(g => g.Key))
        {
            var a = block.First(r => r.Epoch == first);
            var b = block.Last();
            builder.Append(CultureInfo.InvariantCulture,
                $"  layer {block.Key} ({b.Units} {b.Activation}{(b.Normalization == Normalization.None ? string.Empty : ", " + b.Normalization)}): activation std {Format(a.ActivationStd)} → {Format(b.ActivationStd)}, gradient norm {Format(a.GradientNorm)} → {Format(b.GradientNorm)}");
            if (b.DeadFraction is { } dead)
            {
                builder.Append(CultureInfo.InvariantCulture, $", dead {dead:P0}");
            }

            if (b.SaturatedFraction is { } saturated)
            {
                builder.Append(CultureInfo.InvariantCulture, $", saturated {saturated:P0}");
            }

            builder.AppendLine();
        }

        foreach (var warning in FindGradientProblems().Where(w => w.Epoch == first || w.Epoch == lastEpoch))
        {
            builder.Append("  warning: ").AppendLine(warning.Message);
        }

        return builder.ToString();
    }

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Format(double? value) => value is { } v ? Format(v) : string.Empty;

    /// <summary>The default thresholds of <see cref="FindGradientProblems"/>.</summary>
    public static class Defaults
    {
        /// <summary>A gradient norm below this vanishes: 1e-7.</summary>
        public const double VanishingGradientNorm = 1e-7;

        /// <summary>A gradient norm above this explodes: 1e3.</summary>
        public const double ExplodingGradientNorm = 1e3;

        /// <summary>A gradient norm below this share of the last hidden block's vanishes (three orders of magnitude): 1e-3.</summary>
        public const double VanishingGradientRatio = 1e-3;
    }
}
