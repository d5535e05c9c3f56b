using System.Buffers.Binary;
using MlNetDeep.Cli.Commands;
using MlNetDeep.Cli.Reporting;

namespace MlNetDeep.Cli.Tests.Commands;

/// <summary><c>train --diagnostics</c>: the layer plot and the diagnostics CSV beside the model, and nothing extra without the flag.</summary>
public class TrainDiagnosticsTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static (string Model, string Output) Train(TempDirectory directory, params string[] extra)
    {
        var model = directory.File("model.zip");
        string[] args = ["train", "--dataset", directory.WriteSynthetic("train.csv", 150, "Class"), "--label", "Class", "--hidden", "16,8", "--epochs", "3", "--batch-size", "32", "--output", model, .. extra];
        var (exitCode, output) = CliRunner.Run(args);
        Assert.True(exitCode == 0, output);
        return (model, output);
    }

    [Fact]
    public void WritesTheLayerPlotAndTheCsvBesideTheModel()
    {
        using var directory = new TempDirectory();

        var (model, output) = Train(directory, "--diagnostics");

        Assert.Equal(directory.File("model.layers.png"), TrainCommand.LayersPath(model));
        var png = File.ReadAllBytes(TrainCommand.LayersPath(model));
        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal(LayerDiagnosticsPlot.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(LayerDiagnosticsPlot.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));

        var lines = File.ReadAllLines(TrainCommand.DiagnosticsPath(model));
        Assert.StartsWith("epoch,block,activation,normalization,units,", lines[0]);
        // Epochs 0 (as initialized) to 3, two hidden layers each.
        Assert.Equal(1 + (4 * 2), lines.Length);
        Assert.Equal(["0", "1", "2", "3"], lines.Skip(1).Select(l => l.Split(',')[0]).Distinct());
        Assert.Equal(["0", "1"], lines.Skip(1).Select(l => l.Split(',')[1]).Distinct().Order());
        Assert.Contains("Gradient warnings:", output);
        Assert.Contains("Layer diagnostics plot saved to", output);
    }

    [Fact]
    public void WithoutTheFlagNoDiagnosticsFilesAreWritten()
    {
        using var directory = new TempDirectory();

        var (model, output) = Train(directory);

        Assert.True(File.Exists(TrainCommand.CurvePath(model)));
        Assert.False(File.Exists(TrainCommand.LayersPath(model)));
        Assert.False(File.Exists(TrainCommand.DiagnosticsPath(model)));
        Assert.DoesNotContain("Gradient warnings", output);
    }
}
