using MlNetDeep.Cli.Reporting;
using MlNetDeep.Training;

namespace MlNetDeep.Cli.Tests.Reporting;

public class LearningCurvePlotTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void WritesAPngOfTheRequestedSize()
    {
        using var directory = new TempDirectory();
        var path = directory.File("curve.png");
        TrainingEpoch[] history = [new(1, 1.2, 1.3, 0.5, 1e-3, 0.1), new(2, 0.8, 0.9, 0.7, 1e-3, 0.2), new(3, 0.5, 0.7, 0.8, 1e-3, 0.3)];

        LearningCurvePlot.Save(history, TaskKind.Multiclass, path);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(PngSignature, bytes[..8]);
        // IHDR: width and height as big-endian integers at bytes 16..23.
        Assert.Equal(LearningCurvePlot.Width, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(LearningCurvePlot.Height, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void EmptyHistoryIsAnError()
    {
        using var directory = new TempDirectory();

        Assert.Throws<CliException>(() => LearningCurvePlot.Save([], TaskKind.Regression, directory.File("curve.png")));
    }
}
