using System.Globalization;
using System.Text.Json;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Writes the suite's results for people (a block per data set, the counts, a Markdown table) and for programs (one
/// JSON document with every fit and every anchor, so two runs can be set side by side). Accuracy has four decimals,
/// RMSE three, as in <c>ANCHORS.md</c>.
/// </summary>
internal static class SuiteReport
{
    /// <summary>What the fit times measure.</summary>
    public const string FitTimeMeaning =
        "wall clock of the pipeline's Fit on the training rows: ML.NET reading them, fitting the label conversion, mean imputation and one-hot encoding, and training; reading the CSV file is not included";

    /// <summary>Writes one data set's block: per-seed scores, ours, the anchors and the two comparisons.</summary>
    public static void WriteSet(TextWriter writer, SuiteResult result)
    {
        var set = result.Dataset;
        var score = result.Score;
        var widths = result.Fits.Select(f => f.Features).Distinct().Order().ToList();
        var features = widths.Count == 1 ? $"{widths[0]}" : $"{widths[0]}–{widths[^1]}";
        writer.WriteLine($"{set.Name} ({set.Task.ToString().ToLowerInvariant()}, {set.Metric}, {features} features after encoding, {result.Fits.Count} seed(s))");
        writer.WriteLine($"  seeds:  {string.Join(", ", result.Fits.Select(f => $"{f.Seed}: {Format(set, f.Score)} ({f.Epochs} epochs, best {f.BestEpoch}; {Seconds(f.Seconds)} s)"))}");
        writer.WriteLine($"  ours:   {MeanSd(set, score)}, median fit {Seconds(result.FitSeconds.Median)} s");
        if (result.NotApplied.Count > 0)
        {
            writer.WriteLine($"  --set not applicable to this task, skipped: {string.Join(", ", result.NotApplied)}");
        }

        if (set.Best is { } best)
        {
            writer.WriteLine($"  best anchor: {best.Name} {MeanSd(set, best.Score)}");
        }

        writer.WriteLine($"  PyTorch MLP {AnchorText(set, SuiteAnchors.TorchMlp, sd: true)}; LightGbm {AnchorText(set, SuiteAnchors.LightGbm, sd: false)}; TabM {AnchorText(set, SuiteAnchors.TabM, sd: false)}");
        writer.WriteLine($"  at or above the best anchor: {YesNo(result.AtOrAboveBest)}; within one sd of the PyTorch MLP: {YesNo(result.WithinTorchMlp)}");
    }

    /// <summary>Writes the counts of data sets at or above the best anchor and within the PyTorch MLP's bound.</summary>
    public static void WriteSummary(TextWriter writer, IReadOnlyList<SuiteResult> results)
    {
        writer.WriteLine($"At or above the best anchor: {results.Count(r => r.AtOrAboveBest == true)} of {results.Count(r => r.AtOrAboveBest is not null)} data sets.");
        writer.WriteLine($"Within one sd of the PyTorch MLP (accuracy ≥ mean − sd, RMSE ≤ mean + sd): {results.Count(r => r.WithinTorchMlp == true)} of {results.Count(r => r.WithinTorchMlp is not null)}.");
    }

    /// <summary>Writes the Markdown table: one row per data set.</summary>
    public static void WriteTable(TextWriter writer, IReadOnlyList<SuiteResult> results)
    {
        writer.WriteLine("| set | ours mean ± sd, median fit s | best anchor (system) | PyTorch MLP | LightGbm | TabM | ≥best | within PyTorch sd |");
        writer.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var result in results)
        {
            var set = result.Dataset;
            var best = set.Best is { } b ? $"{Format(set, b.Score.Mean)} ({b.Name})" : "–";
            writer.WriteLine($"| {set.Name} ({(set.LowerIsBetter ? "RMSE" : "acc.")}) | {MeanSd(set, result.Score)}, {Seconds(result.FitSeconds.Median)} s | {best} | "
                + $"{AnchorText(set, SuiteAnchors.TorchMlp, sd: true)} | {AnchorText(set, SuiteAnchors.LightGbm, sd: false)} | {AnchorText(set, SuiteAnchors.TabM, sd: false)} | "
                + $"{YesNo(result.AtOrAboveBest)} | {YesNo(result.WithinTorchMlp)} |");
        }
    }

    /// <summary>Writes every result and every anchor as one indented JSON document.</summary>
    public static void WriteJson(string path, string dataDirectory, IReadOnlyList<int> seeds, TrainerOptionAssignments assignments, IReadOnlyList<SuiteResult> results)
    {
        var document = new
        {
            command = "suite",
            data = Path.GetFullPath(dataDirectory),
            seeds,
            set = assignments.Assignments.ToDictionary(a => a.Name, a => a.Text),
            fit_seconds = FitTimeMeaning,
            processors = Environment.ProcessorCount,
            summary = Summary(results),
            datasets = results.Select(r => new
            {
                name = r.Dataset.Name,
                task = r.Dataset.Task.ToString().ToLowerInvariant(),
                metric = r.Dataset.Metric,
                lower_is_better = r.Dataset.LowerIsBetter,
                fits = r.Fits.Select(f => new { seed = f.Seed, score = f.Score, fit_seconds = f.Seconds, epochs = f.Epochs, best_epoch = f.BestEpoch, features = f.Features }),
                mean = r.Score.Mean,
                std = r.Score.Std,
                median_fit_seconds = r.FitSeconds.Median,
                not_applied = r.NotApplied,
                best_anchor = r.Dataset.Best?.System,
                at_or_above_best_anchor = r.AtOrAboveBest,
                within_torch_mlp_sd = r.WithinTorchMlp,
                anchors = r.Dataset.Anchors.ToDictionary(
                    a => a.System,
                    a => new { name = a.Name, mean = a.Score.Mean, std = a.Score.Std, n = a.Score.N, median_fit_seconds = a.FitSeconds?.Median }),
            }),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>The counts as one JSON line, the last line a benchmark command prints.</summary>
    public static string SummaryLine(IReadOnlyList<SuiteResult> results) => JsonSerializer.Serialize(Summary(results));

    private static object Summary(IReadOnlyList<SuiteResult> results) => new
    {
        datasets = results.Count,
        at_or_above_best_anchor = results.Count(r => r.AtOrAboveBest == true),
        within_torch_mlp_sd = results.Count(r => r.WithinTorchMlp == true),
    };

    private static string AnchorText(SuiteAnchors.Dataset set, string system, bool sd) =>
        set.Find(system) is not { } anchor ? "–"
        : sd ? MeanSd(set, anchor.Score)
        : Format(set, anchor.Score.Mean) + (anchor.Score.N < 5 ? $" (n={anchor.Score.N})" : string.Empty);

    private static string MeanSd(SuiteAnchors.Dataset set, SeedStatistic statistic) =>
        $"{Format(set, statistic.Mean)} ± {Format(set, statistic.Std)}" + (statistic.N < 5 ? $" (n={statistic.N})" : string.Empty);

    private static string Format(SuiteAnchors.Dataset set, double value) => value.ToString(set.LowerIsBetter ? "F3" : "F4", CultureInfo.InvariantCulture);

    private static string Seconds(double seconds) => seconds.ToString(seconds < 10 ? "F2" : "F1", CultureInfo.InvariantCulture);

    private static string YesNo(bool? value) => value switch { true => "yes", false => "no", null => "–" };
}
