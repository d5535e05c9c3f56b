namespace MlNetDeep.Cli.Tests.Commands;

/// <summary><c>mlnetdeep tune</c>: every trial printed, the best options, test metrics, and a model that evaluates.</summary>
public class TuneCommandTests
{
    [Fact]
    public void SearchesRetrainsAndSavesAModelThatEvaluates()
    {
        using var directory = new TempDirectory();
        var data = directory.WriteSynthetic("train.csv", 150, "Class");
        var model = directory.File("tuned.zip");

        var (exitCode, output) = CliRunner.Run("tune", "--dataset", data, "--label", "Class", "--trials", "3", "--epochs", "3", "--output", model);

        Assert.True(exitCode == 0, output);
        Assert.Contains("trial   1:", output);
        Assert.Contains("trial   3:", output);
        Assert.DoesNotContain("trial   4:", output);
        Assert.Contains("Best options by", output);
        Assert.Contains("Test set", output);
        Assert.True(File.Exists(model));

        var (evaluateExit, evaluation) = CliRunner.Run("evaluate", "--model", model, "--dataset", data);
        Assert.True(evaluateExit == 0, evaluation);
        Assert.Contains("Accuracy", evaluation);
    }

    [Fact]
    public void TheDefaultSpaceSearchesTheInputEmbeddingAndEnsembleOptionsUnlessFlagsSetThem()
    {
        using var directory = new TempDirectory();
        var data = directory.WriteSynthetic("train.csv", 120, "Class");

        var (exitCode, output) = CliRunner.Run("tune", "--dataset", data, "--label", "Class", "--trials", "2", "--epochs", "2", "--output", directory.File("searched.zip"));
        Assert.True(exitCode == 0, output);
        Assert.Contains("inputTransform=", output);
        Assert.Contains("numericEmbedding=", output);
        Assert.Contains("ensembleSize=", output);
        Assert.Contains("labelSmoothing=", output);
        Assert.Contains(" inputs, ", output);
        Assert.Contains(", label smoothing ", output);

        var (fixedExit, fixedOutput) = CliRunner.Run("tune", "--dataset", data, "--label", "Class", "--trials", "2", "--epochs", "2", "--embedding", "PiecewiseLinear", "--ensemble", "1", "--output", directory.File("fixed.zip"));
        Assert.True(fixedExit == 0, fixedOutput);
        Assert.Contains("Not searched, set by flags: ensembleSize, numericEmbedding", fixedOutput);
        Assert.DoesNotContain("numericEmbedding=", fixedOutput);
        Assert.DoesNotContain("embeddingBins=", fixedOutput);
        Assert.DoesNotContain("ensembleSize=", fixedOutput);
        Assert.Contains("PiecewiseLinear embedding (32 bins), ensemble 1", fixedOutput);
    }

    [Fact]
    public void RandomSearchAndBadTrialCountsAreHandled()
    {
        using var directory = new TempDirectory();
        var data = directory.WriteSynthetic("train.csv", 120, "Class");

        var (exitCode, output) = CliRunner.Run("tune", "--dataset", data, "--label", "Class", "--trials", "2", "--epochs", "2", "--random", "--output", directory.File("random.zip"));
        Assert.True(exitCode == 0, output);
        Assert.Contains("trial   2:", output);

        var (badExit, badOutput) = CliRunner.Run("tune", "--dataset", data, "--label", "Class", "--trials", "0");
        Assert.Equal(2, badExit);
        Assert.Contains("--trials", badOutput);
    }

    [Fact]
    public void PruningAndConcurrentTrialsRunAndTheirErrorsNameTheOption()
    {
        using var directory = new TempDirectory();
        var data = directory.WriteSynthetic("train.csv", 150, "Class");

        var (exitCode, output) = CliRunner.Run("tune", "--dataset", data, "--label", "Class", "--trials", "4", "--epochs", "4", "--pruning", "SuccessiveHalving", "--concurrent", "2", "--output", directory.File("pruned.zip"));
        Assert.True(exitCode == 0, output);
        Assert.Contains("trial   1:", output);
        Assert.Contains("trial   4:", output);
        Assert.Contains("Test set", output);

        var flags = directory.WriteSynthetic("flags.csv", 60, "Flag");
        var (aucExit, aucOutput) = CliRunner.Run("tune", "--dataset", flags, "--label", "Flag", "--trials", "2", "--epochs", "2", "--pruning", "Median", "--output", directory.File("auc.zip"));
        Assert.NotEqual(0, aucExit);
        Assert.Contains("Pruning=Median, Metric=AreaUnderRocCurve", aucOutput);

        var (accuracyExit, accuracyOutput) = CliRunner.Run("tune", "--dataset", flags, "--label", "Flag", "--trials", "2", "--epochs", "2", "--pruning", "Median", "--metric", "Accuracy", "--output", directory.File("accuracy.zip"));
        Assert.True(accuracyExit == 0, accuracyOutput);

        var (badExit, badOutput) = CliRunner.Run("tune", "--dataset", data, "--label", "Class", "--concurrent", "0");
        Assert.Equal(2, badExit);
        Assert.Contains("--concurrent", badOutput);
    }
}
