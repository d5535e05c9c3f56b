using System.Globalization;
using System.Text;

namespace MlNetDeep.Samples.InitializationStudy;

/// <summary>The study's markdown table and the findings it prints.</summary>
public static class StudyReport
{
    /// <summary>The hidden layers (from 0) the table shows: the first, the middle and the last.</summary>
    public static int[] ShownLayers(int layers) => [.. new[] { 0, layers / 2, layers - 1 }.Distinct()];

    /// <summary>The table's header line for a network of <paramref name="layers"/> hidden layers.</summary>
    public static string Header(int layers)
    {
        var names = LayerNames(layers);
        return $"| initializer | activation | normalization | std at init ({names}) | std after training ({names}) | last layer dead/saturated | gradient warnings | validation accuracy |";
    }

    /// <summary>The markdown document: a title, what the columns mean, and one table row per configuration.</summary>
    public static string Table(IReadOnlyList<StudyRow> rows, StudySettings settings)
    {
        var shown = ShownLayers(settings.Layers);
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Initialization study: digits, {settings.Layers} hidden layers × {settings.Units} units, {settings.Epochs} epochs, {(settings.Rows > 0 ? settings.Rows.ToString(CultureInfo.InvariantCulture) : "all")} rows (20% validation), seed {settings.Seed}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Activation standard deviation of hidden layers {LayerNames(settings.Layers)} for the network as initialized (diagnostics epoch 0) and over the last epoch; the last hidden layer's share of dead ReLU/SELU units or saturated tanh outputs in the last epoch; the number of vanishing or exploding gradient warnings; the validation accuracy after the last epoch.")
            .AppendLine()
            .AppendLine(Header(settings.Layers))
            .AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {row.Initializer} | {row.Activation} | {row.Normalization} | ")
                .Append(string.Join(" → ", shown.Select(l => Program.Format(row.InitialStd[l])))).Append(" | ")
                .Append(string.Join(" → ", shown.Select(l => Program.Format(row.FinalStd[l])))).Append(" | ")
                .Append(row.LastLayerDeadOrSaturated is { } share ? (share * 100).ToString("F0", CultureInfo.InvariantCulture) + "%" : "–").Append(" | ")
                .Append(row.GradientWarnings.ToString(CultureInfo.InvariantCulture)).Append(" | ")
                .Append(Program.Percent(row.ValidationAccuracy)).AppendLine(" |");
        }

        return text.ToString();
    }

    /// <summary>
    /// One sentence per pattern the theory predicts, for the configurations the study ran: zeros, small random
    /// normal, Xavier with tanh, He with ReLU, LeCun with SELU, and batch normalization across initializers.
    /// </summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<StudyRow> rows)
    {
        var findings = new List<string>();
        StudyRow? Find(WeightInitializer initializer, Activation activation, Normalization normalization = Normalization.None)
            => rows.FirstOrDefault(r => r.Initializer == initializer && r.Activation == activation && r.Normalization == normalization);
        static string Change(StudyRow row) => $"{Program.Format(row.InitialStd[0])} → {Program.Format(row.InitialStd[^1])}";

        var zeros = rows.Where(r => r.Initializer == WeightInitializer.Zeros).ToList();
        if (zeros.Count > 0)
        {
            findings.Add(FormattableString.Invariant(
                $"Zeros: largest activation std at init {Program.Format(zeros.Max(r => r.InitialStd.Max()))} in any layer: every unit computes the same value, so all units stay identical; best validation accuracy {Program.Percent(zeros.Max(r => r.ValidationAccuracy))}."));
        }

        foreach (var activation in new[] { Activation.Tanh, Activation.ReLU })
        {
            if (Find(WeightInitializer.RandomNormal, activation) is { } small)
            {
                findings.Add($"RandomNormal (sd 0.01) + {activation}: activation std at init, first → last layer, {Change(small)}: it shrinks layer by layer; validation accuracy {Program.Percent(small.ValidationAccuracy)}.");
            }
        }

        foreach (var (initializer, activation) in new[] { (WeightInitializer.XavierUniform, Activation.Tanh), (WeightInitializer.XavierNormal, Activation.Tanh), (WeightInitializer.HeNormal, Activation.ReLU), (WeightInitializer.LeCunNormal, Activation.SELU) })
        {
            if (Find(initializer, activation) is { } matched)
            {
                findings.Add($"{initializer} + {activation}: activation std at init, first → last layer, {Change(matched)}; validation accuracy {Program.Percent(matched.ValidationAccuracy)}.");
            }
        }

        var batchNorm = rows.Where(r => r.Normalization == Normalization.BatchNorm && r.Initializer != WeightInitializer.Zeros && !double.IsNaN(r.InitialStd[^1])).ToList();
        if (batchNorm.Count > 0)
        {
            findings.Add(FormattableString.Invariant(
                $"BatchNorm, every non-zero initializer: last-layer activation std at init between {Program.Format(batchNorm.Min(r => r.InitialStd[^1]))} and {Program.Format(batchNorm.Max(r => r.InitialStd[^1]))}; validation accuracy {Program.Percent(batchNorm.Min(r => r.ValidationAccuracy))}–{Program.Percent(batchNorm.Max(r => r.ValidationAccuracy))}."));
        }

        return findings;
    }

    private static string LayerNames(int layers) => string.Join(" → ", ShownLayers(layers).Select(l => "L" + (l + 1).ToString(CultureInfo.InvariantCulture)));
}
