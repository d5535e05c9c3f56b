
namespace MlNetDeep.Cli.Tests.Commands;

/// <summary>Errors a user can act on: one clean message, a non-zero exit code, no stack trace.</summary>
public class CliErrorTests
{
    private static void AssertCleanError((int ExitCode, string Output) result, int exitCode, string expected)
    {
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Contains(expected, result.Output);
        Assert.Contains("Error:", result.Output);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.DoesNotContain("Exception", result.Output);
    }

    [Fact]
    public void MissingDatasetFile()
    {
        AssertCleanError(CliRunner.Run("train", "--dataset", "no-such.csv"), CliException.DataError, "The file 'no-such.csv' does not exist");
    }

    [Fact]
    public void UnknownLabelColumnListsTheColumns()
    {
        using var directory = new TempDirectory();
        var data = directory.WriteSynthetic("d.csv", 30, "Class");

        AssertCleanError(CliRunner.Run("train", "--dataset", data, "--label", "Outcome"), CliException.UsageError,
            "The label column 'Outcome' is not in " + data + ". Available columns: x, y, colour, Class.");
    }

    [Fact]
    public void UnparsableValueNamesRowAndColumn()
    {
        using var directory = new TempDirectory();
        var lines = Enumerable.Range(0, 50).Select(i => i == 20 ? "1.5,x2.5,a" : $"{i * 0.1},{i * 0.2},{(i % 2 == 0 ? "a" : "b")}");
        var data = directory.Write("d.csv", "f1,f2,Label\n" + string.Join("\n", lines) + "\n");

        AssertCleanError(CliRunner.Run("train", "--dataset", data), CliException.DataError, "row 22, column 'f2': 'x2.5' is not a number");
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs must be in [1, 100000]; received 0.")]
    [InlineData("--dropout", "1.5", "--dropout must be in [0, 1); received 1.5.")]
    [InlineData("--test-fraction", "1", "--test-fraction must be in [0.01, 0.99]; received 1.")]
    [InlineData("--hidden", "64,x", "--hidden takes comma-separated positive layer widths such as 128,64; received '64,x'.")]
    [InlineData("--task", "clustering", "clustering")]
    [InlineData("--activation", "Relu6", "Relu6")]
    [InlineData("--label-smoothing", "1", "--label-smoothing must be in [0, 1); received 1.")]
    [InlineData("--beta1", "-0.1", "--beta1 must be in [0, 1); received -0.1.")]
    [InlineData("--beta2", "1", "--beta2 must be in [0, 1); received 1.")]
    [InlineData("--schedule", "Linear", "Linear")]
    public void BadOptionValues(string option, string value, string expected)
    {
        AssertCleanError(CliRunner.Run("train", option, value), CliException.UsageError, expected);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("tune")]
    public void LabelSmoothingOfARegressionIsAUsageError(string verb)
    {
        using var directory = new TempDirectory();
        var data = directory.WriteSynthetic("d.csv", 40, "Target");

        AssertCleanError(CliRunner.Run(verb, "--dataset", data, "--label", "Target", "--epochs", "1", "--label-smoothing", "0.1"), CliException.UsageError,
            "--label-smoothing applies to classification only; the task is regression. Received: --label-smoothing 0.1.");
    }

    [Fact]
    public void UnknownVerbOrOption()
    {
        AssertCleanError(CliRunner.Run("fit"), CliException.UsageError, "fit");
        AssertCleanError(CliRunner.Run("train", "--epoch", "3"), CliException.UsageError, "--epoch");
    }

    [Fact]
    public void EvaluateNeedsModelAndDataset()
    {
        AssertCleanError(CliRunner.Run("evaluate", "--dataset", "d.csv"), CliException.UsageError, "--model");
    }

    [Fact]
    public void MissingModelFile()
    {
        AssertCleanError(CliRunner.Run("evaluate", "--model", "no-such.zip", "--dataset", "d.csv"), CliException.DataError, "The model file 'no-such.zip' does not exist");
        AssertCleanError(CliRunner.Run("predict", "--model", "no-such.zip", "--dataset", "d.csv"), CliException.DataError, "The model file 'no-such.zip' does not exist");
    }

    [Fact]
    public void FileThatIsNotAModel()
    {
        using var directory = new TempDirectory();
        var model = directory.Write("model.zip", "not a zip");

        AssertCleanError(CliRunner.Run("evaluate", "--model", model, "--dataset", "d.csv"), CliException.DataError, $"'{model}' is not a model saved by mlnetdeep train or ML.NET");
    }

    [Fact]
    public void UnwritableOutputNamesThePath()
    {
        using var directory = new TempDirectory();
        var data = directory.WriteSynthetic("d.csv", 40, "Class");
        var taken = Directory.CreateDirectory(directory.File("taken.zip")).FullName;

        AssertCleanError(CliRunner.Run("train", "--dataset", data, "--label", "Class", "--epochs", "1", "--hidden", "4", "--output", taken), CliException.DataError, taken);
    }

    [Fact]
    public void HelpListsTheVerbs()
    {
        var (exitCode, output) = CliRunner.Run("--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("train", output);
        Assert.Contains("evaluate", output);
        Assert.Contains("predict", output);
    }

    [Theory]
    [InlineData("train")]
    [InlineData("tune")]
    public void HelpOfTrainAndTuneListsTheTrainingFlags(string verb)
    {
        var (exitCode, output) = CliRunner.Run(verb, "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("--label-smoothing", output);
        Assert.Contains("--beta1", output);
        Assert.Contains("--beta2", output);
        Assert.Contains("--schedule", output);
        Assert.Contains("FlatCosine", output);
    }
}
