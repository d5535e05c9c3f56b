using System.Buffers.Binary;
using MlNetDeep.Samples.InitializationStudy;
using Study = MlNetDeep.Samples.InitializationStudy.Program;

namespace MlNetDeep.Cli.Tests.Samples;

/// <summary>The initialization study on tiny settings: its table, its plot and the zeros initializer's signature.</summary>
public class InitializationStudyTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static StudySettings Tiny(string output) => new()
    {
        Layers = 3,
        Units = 16,
        Epochs = 1,
        Rows = 200,
        OutputDirectory = output,
        Initializers = [WeightInitializer.Zeros, WeightInitializer.HeNormal],
        Activations = [Activation.Tanh, Activation.ReLU],
        Normalizations = [Normalization.None, Normalization.BatchNorm],
    };

    [Fact]
    public void WritesTheTableWithOneRowPerConfigurationAndThePlot()
    {
        using var directory = new TempDirectory();
        var output = new StringWriter();

        var result = Study.Run(Tiny(directory.Path), output);

        Assert.Equal(8, result.Rows.Count);
        var lines = File.ReadAllLines(result.TablePath);
        Assert.Contains("| initializer | activation | normalization | std at init (L1 → L2 → L3) | std after training (L1 → L2 → L3) | last layer dead/saturated | gradient warnings | validation accuracy |", lines);
        var rows = lines.Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| initializer", StringComparison.Ordinal)).ToArray();
        Assert.Equal(8, rows.Length);
        foreach (var activation in new[] { "Tanh", "ReLU" })
        {
            foreach (var normalization in new[] { "None", "BatchNorm" })
            {
                foreach (var initializer in new[] { "Zeros", "HeNormal" })
                {
                    Assert.Single(rows, r => r.StartsWith($"| {initializer} | {activation} | {normalization} | ", StringComparison.Ordinal));
                }
            }
        }

        var png = File.ReadAllBytes(result.PlotPath);
        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal(StudyPlot.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(StudyPlot.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Contains("Findings:", output.ToString());
        Assert.Contains("- Zeros: largest activation std at init 0 in any layer", output.ToString());
    }

    [Fact]
    public void ZerosGiveNoActivationSpreadAtInitWhileHeNormalDoes()
    {
        using var directory = new TempDirectory();
        var settings = Tiny(directory.Path) with { Activations = [Activation.ReLU], Normalizations = [Normalization.None] };

        var result = Study.Run(settings, TextWriter.Null);

        var zeros = Assert.Single(result.Rows, r => r.Initializer == WeightInitializer.Zeros);
        Assert.All(zeros.InitialStd, s => Assert.Equal(0, s, 1e-9));
        // Every ReLU unit of the last layer outputs 0 on every row: all of them are dead.
        Assert.Equal(1.0, zeros.LastLayerDeadOrSaturated);
        Assert.Contains("| Zeros | ReLU | None | 0 → 0 → 0 | 0 → 0 → 0 | 100% |", File.ReadAllText(result.TablePath));
        var he = Assert.Single(result.Rows, r => r.Initializer == WeightInitializer.HeNormal);
        Assert.All(he.InitialStd, s => Assert.InRange(s, 0.3, 2.0));
        Assert.InRange(he.ValidationAccuracy, 0.0, 1.0);
    }

    [Fact]
    public void ParsesFlagsAndRejectsBadValues()
    {
        var settings = Study.Parse(["--layers", "4", "--units", "32", "--epochs", "2", "--rows", "500", "--initializers", "Zeros,heNormal", "--activations", "SELU", "--normalizations", "LayerNorm", "out"]);

        Assert.Equal(4, settings.Layers);
        Assert.Equal(32, settings.Units);
        Assert.Equal(2, settings.Epochs);
        Assert.Equal(500, settings.Rows);
        Assert.Equal([WeightInitializer.Zeros, WeightInitializer.HeNormal], settings.Initializers);
        Assert.Equal([Activation.SELU], settings.Activations);
        Assert.Equal([Normalization.LayerNorm], settings.Normalizations);
        Assert.Equal("out", settings.OutputDirectory);
        Assert.Contains("'--layers' must be a positive integer; got '0'", Assert.Throws<FormatException>(() => Study.Parse(["--layers", "0"])).Message);
        Assert.Contains("unknown value 'Ones'", Assert.Throws<FormatException>(() => Study.Parse(["--initializers", "Ones"])).Message);
        Assert.Contains("Unknown flag '--depth'", Assert.Throws<FormatException>(() => Study.Parse(["--depth", "3"])).Message);
    }
}
