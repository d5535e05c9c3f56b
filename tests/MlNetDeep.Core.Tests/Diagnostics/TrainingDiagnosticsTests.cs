using System.Globalization;
using System.Text.Json;
using MlNetDeep.Diagnostics;
using Xunit;

namespace MlNetDeep.Tests.Diagnostics;

public class TrainingDiagnosticsTests
{
    private static LayerDiagnostics Record(int epoch, int block, double gradientNorm, double? dead = 0.25, double? saturated = null, double? runningMean = null)
        => new(epoch, block, Activation.ReLU, runningMean is null ? Normalization.None : Normalization.BatchNorm, 16, 128,
            0.125, 1.5, 0.75, 0.875, gradientNorm, 3.25, epoch == 0 ? null : 1e-3, dead, saturated, runningMean, runningMean is null ? null : 0.96);

    private static TrainingDiagnostics Sample() => new(
    [
        Record(0, 0, 0.1, runningMean: 0.01),
        Record(0, 1, 0.2, dead: null, saturated: 0.5),
        Record(1, 0, double.NaN, runningMean: 0.02),
        Record(1, 1, 1.0 / 3),
    ]);

    [Fact]
    public void JsonRoundTripsEveryRecordIncludingNaNAndNulls()
    {
        var diagnostics = Sample();

        var json = diagnostics.ToJson();
        var read = TrainingDiagnostics.FromJson(json);

        Assert.Equal(diagnostics.Records, read.Records);
        using var document = JsonDocument.Parse(json);
        var first = document.RootElement[0];
        Assert.Equal("ReLU", first.GetProperty("Activation").GetString());
        Assert.Equal("BatchNorm", first.GetProperty("Normalization").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("UpdateRatio").ValueKind);
        Assert.Equal("NaN", document.RootElement[2].GetProperty("GradientNorm").GetString());
    }

    [Fact]
    public void FromJsonRejectsAnotherDocument()
    {
        Assert.ThrowsAny<JsonException>(() => TrainingDiagnostics.FromJson("{\"Epoch\": 1}"));
        Assert.ThrowsAny<JsonException>(() => TrainingDiagnostics.FromJson("null"));
    }

    [Fact]
    public void CsvHasAHeaderAndOneParsableLinePerRecord()
    {
        var diagnostics = Sample();

        var lines = diagnostics.ToCsv().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        var header = lines[0].Split(',');
        Assert.Equal(17, header.Length);
        Assert.Equal(5, lines.Length);
        double? Parse(string field) => field.Length == 0 ? null : double.Parse(field, CultureInfo.InvariantCulture);
        for (var i = 0; i < diagnostics.Records.Count; i++)
        {
            var expected = diagnostics.Records[i];
            var fields = lines[i + 1].Split(',');
            var column = (string name) => fields[Array.IndexOf(header, name)];
            Assert.Equal(17, fields.Length);
            Assert.Equal(expected.Epoch, int.Parse(column("epoch"), CultureInfo.InvariantCulture));
            Assert.Equal(expected.Block, int.Parse(column("block"), CultureInfo.InvariantCulture));
            Assert.Equal(expected.Activation, Enum.Parse<Activation>(column("activation")));
            Assert.Equal(expected.Normalization, Enum.Parse<Normalization>(column("normalization")));
            Assert.Equal(expected.Units, int.Parse(column("units"), CultureInfo.InvariantCulture));
            Assert.Equal(expected.Rows, long.Parse(column("rows"), CultureInfo.InvariantCulture));
            Assert.Equal(expected.PreActivationMean, Parse(column("pre_activation_mean")));
            Assert.Equal(expected.PreActivationStd, Parse(column("pre_activation_std")));
            Assert.Equal(expected.ActivationMean, Parse(column("activation_mean")));
            Assert.Equal(expected.ActivationStd, Parse(column("activation_std")));
            Assert.Equal(expected.GradientNorm, Parse(column("gradient_norm")));
            Assert.Equal(expected.WeightNorm, Parse(column("weight_norm")));
            Assert.Equal(expected.UpdateRatio, Parse(column("update_ratio")));
            Assert.Equal(expected.DeadFraction, Parse(column("dead_fraction")));
            Assert.Equal(expected.SaturatedFraction, Parse(column("saturated_fraction")));
            Assert.Equal(expected.RunningMeanAverage, Parse(column("running_mean_average")));
            Assert.Equal(expected.RunningVarianceAverage, Parse(column("running_var_average")));
        }
    }

    [Fact]
    public void CsvIsTheSameUnderAnotherCulture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            var invariant = Sample().ToCsv();
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(invariant, Sample().ToCsv());
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void FlagsExplodingVanishingAndShrinkingGradients()
    {
        var diagnostics = new TrainingDiagnostics(
        [
            Record(1, 0, 1e-9),
            Record(1, 1, 2e-4),
            Record(1, 2, 0.5),
            Record(1, 3, 1.0),
            Record(2, 0, double.NaN),
            Record(2, 1, 5e3),
            Record(2, 2, double.PositiveInfinity),
            Record(2, 3, 1.0),
        ]);

        var warnings = diagnostics.FindGradientProblems();

        Assert.Equal(
            [(1, 0, GradientProblem.Vanishing), (1, 1, GradientProblem.Vanishing), (2, 0, GradientProblem.Exploding), (2, 1, GradientProblem.Exploding), (2, 2, GradientProblem.Exploding)],
            warnings.Select(w => (w.Epoch, w.Block, w.Problem)));
        Assert.Contains("threshold 1E-07", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("3.7 orders of magnitude below", warnings[1].Message, StringComparison.Ordinal);
        Assert.Contains("gradient norm NaN", warnings[2].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(diagnostics.FindGradientProblems(vanishingNorm: 1e-12, explodingNorm: double.MaxValue, vanishingRatio: 1e-10), w => w.Epoch == 1);
    }

    [Fact]
    public void HealthyGradientsRaiseNoWarning()
    {
        Assert.Empty(new TrainingDiagnostics([Record(0, 0, 0.05), Record(0, 1, 0.5), Record(1, 0, 0.01), Record(1, 1, 0.2)]).FindGradientProblems());
    }

    [Fact]
    public void SummaryListsEveryLayerAndTheWarnings()
    {
        var summary = Sample().Summarize();

        Assert.Contains("epoch 0 → 1", summary, StringComparison.Ordinal);
        Assert.Contains("layer 0 (16 ReLU, BatchNorm)", summary, StringComparison.Ordinal);
        Assert.Contains("layer 1 (16 ReLU)", summary, StringComparison.Ordinal);
        Assert.Contains("warning: Exploding gradients in hidden layer 0 in epoch 1", summary, StringComparison.Ordinal);
        Assert.Equal("No diagnostics were recorded.", new TrainingDiagnostics([]).Summarize());
    }
}
