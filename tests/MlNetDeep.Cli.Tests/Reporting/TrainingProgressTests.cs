using MlNetDeep.Cli.Reporting;

namespace MlNetDeep.Cli.Tests.Reporting;

public class TrainingProgressTests
{
    [Fact]
    public void ProgressLineShowsLossMetricAndTime()
    {
        var line = TrainingProgress.Describe(new TrainingEpoch(3, 0.12345, 0.2, 0.95, 1e-3, 1.26), 10, "accuracy");

        Assert.Equal("epoch 3/10  loss 0.1235  val loss 0.2000  val accuracy 0.9500  1.3s", line);
    }

    [Fact]
    public void ProgressLineOmitsMissingValidation()
    {
        Assert.Equal("epoch 1/5  loss 2.5000  0.5s", TrainingProgress.Describe(new TrainingEpoch(1, 2.5, null, null, 1e-3, 0.5), 5, "RMSE"));
    }

    [Fact]
    public void NonInteractiveConsoleGetsOneLinePerEpoch()
    {
        var (console, writer) = CliRunner.CreateConsole();

        var result = TrainingProgress.Run(console, 3, "RMSE", progress =>
        {
            progress.Report(new TrainingEpoch(1, 1.0, 1.1, 2.0, 1e-3, 0.1));
            progress.Report(new TrainingEpoch(2, 0.5, 0.6, 1.5, 1e-3, 0.2));
            return 42;
        });

        Assert.Equal(42, result);
        Assert.Equal(["epoch 1/3  loss 1.0000  val loss 1.1000  val RMSE 2.0000  0.1s", "epoch 2/3  loss 0.5000  val loss 0.6000  val RMSE 1.5000  0.2s"],
            writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
