using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Cli.Commands;

namespace MlNetDeep.Cli.Tests.Commands;

/// <summary>Every verb end to end on tiny data: train, then evaluate and predict with the saved model.</summary>
public class CliVerbTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47];

    private static string Train(TempDirectory directory, string data, string label, params string[] extra)
    {
        var model = directory.File("model.zip");
        string[] args = ["train", "--dataset", data, "--label", label, "--hidden", "16", "--epochs", "8", "--learning-rate", "0.01", "--batch-size", "32", "--output", model, .. extra];
        var (exitCode, output) = CliRunner.Run(args);
        Assert.True(exitCode == 0, output);
        Assert.True(File.Exists(model), output);
        Assert.Equal(PngSignature, File.ReadAllBytes(TrainCommand.CurvePath(model))[..4]);
        Assert.Contains("epoch 8/8", output);
        Assert.Contains("Hidden layers: 16;", output);
        return model;
    }

    private static string[][] ReadCsv(string path) => [.. File.ReadAllLines(path).Select(l => l.Split(','))];

    [Fact]
    public void MulticlassTrainEvaluatePredict()
    {
        using var directory = new TempDirectory();
        var model = Train(directory, directory.WriteSynthetic("train.csv", 300, "Class"), "Class");

        var (exitCode, output) = CliRunner.Run("evaluate", "--model", model, "--dataset", directory.WriteSynthetic("test.csv", 120, "Class", seed: 9));
        Assert.Equal(0, exitCode);
        var accuracy = double.Parse(output.Split('\n').First(l => l.Contains("Accuracy (micro)")).Split('│', '|')[2].Trim(), CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0.8, 1.0);

        var predictions = directory.File("out/predictions.csv");
        (exitCode, output) = CliRunner.Run("predict", "--model", model, "--dataset", directory.WriteSynthetic("new.csv", 10, label: null, seed: 11), "--output", predictions);
        Assert.True(exitCode == 0, output);
        var rows = ReadCsv(predictions);
        Assert.Equal(["Row", "PredictedLabel", "Score_a", "Score_b", "Score_c"], rows[0]);
        Assert.Equal(11, rows.Length);
        Assert.Equal("10", rows[10][0]);
        foreach (var row in rows.Skip(1))
        {
            Assert.Contains(row[1], new[] { "a", "b", "c" });
            Assert.Equal(1.0, row.Skip(2).Sum(v => double.Parse(v, CultureInfo.InvariantCulture)), 4);
        }
    }

    [Fact]
    public void BinaryIsInferredFromTwoLabelValues()
    {
        using var directory = new TempDirectory();
        var data = directory.WriteSynthetic("train.csv", 200, "Flag");
        var model = Train(directory, data, "Flag");

        var predictions = directory.File("p.csv");
        var (exitCode, output) = CliRunner.Run("predict", "--model", model, "--dataset", data, "--output", predictions, "--id", "colour");
        Assert.True(exitCode == 0, output);
        var rows = ReadCsv(predictions);
        Assert.Equal(["Row", "colour", "PredictedLabel", "Probability"], rows[0]);
        Assert.Equal("red", rows[1][1]);
        var flags = File.ReadAllLines(data).Skip(1).Select(l => l.Split(',')[3]).ToArray();
        Assert.All(rows.Skip(1), r => Assert.Equal(r[2] == "yes", float.Parse(r[3], CultureInfo.InvariantCulture) > 0.5f));
        var correct = rows.Skip(1).Select((r, i) => r[2] == flags[i]).Count(c => c);
        Assert.InRange(correct, 180, 200);

        (exitCode, output) = CliRunner.Run("evaluate", "--model", model, "--dataset", data);
        Assert.True(exitCode == 0, output);
        var accuracy = double.Parse(output.Split('\n').First(l => l.Contains("│ Accuracy")).Split('│')[2].Trim(), CultureInfo.InvariantCulture);
        Assert.Equal(correct / 200.0, accuracy, 4);
    }

    [Fact]
    public void RegressionIsInferredFromANumericLabel()
    {
        using var directory = new TempDirectory();
        var model = Train(directory, directory.WriteSynthetic("train.csv", 300, "Target"), "Target", "--activation", "Tanh", "--normalization", "None", "--dropout", "0");

        var (exitCode, output) = CliRunner.Run("evaluate", "--model", model, "--dataset", directory.WriteSynthetic("test.csv", 100, "Target", seed: 5));
        Assert.True(exitCode == 0, output);
        var rmse = double.Parse(output.Split('\n').First(l => l.Contains("RMSE")).Split('│', '|')[2].Trim(), CultureInfo.InvariantCulture);
        // The target's standard deviation is about 2.6.
        Assert.InRange(rmse, 0.0, 1.0);
    }

    [Fact]
    public void LabelSmoothingBetasAndTheScheduleReachTheTrainer()
    {
        using var directory = new TempDirectory();
        var model = Train(directory, directory.WriteSynthetic("train.csv", 200, "Flag"), "Flag", "--label-smoothing", "0.1", "--beta1", "0.8", "--beta2", "0.95", "--schedule", "FlatCosine");

        var chain = (IEnumerable<ITransformer>)new MLContext().Model.Load(model, out _);
        var history = chain.OfType<BinaryPredictionTransformer<FeedForwardModelParameters>>().Single().Model.TrainingHistory;

        // FlatCosine over 8 epochs: 0.01 for epochs 1 to 5, then down to (1 − cos(π/4))/2 of it in epoch 8.
        Assert.Equal(8, history.Count);
        Assert.All(history.Take(5), e => Assert.Equal(0.01, e.LearningRate, 6));
        Assert.Equal(0.01 * (1 - Math.Cos(Math.PI / 4)) / 2, history[7].LearningRate, 6);
    }

    [Fact]
    public void DefaultTrainUsesTheEmbeddedDigits()
    {
        using var directory = new TempDirectory();
        var model = directory.File("digits.zip");

        var (exitCode, output) = CliRunner.Run("train", "--epochs", "2", "--output", model);

        Assert.True(exitCode == 0, output);
        // Without --hidden the trainer's default layers are used.
        Assert.Contains($"Hidden layers: {string.Join(", ", FeedForwardTrainerOptionsBase.Defaults.HiddenLayers)};", output);
        Assert.Contains("Dataset digits (embedded): 1797 rows, label Label, task multiclass (10 classes)", output);
        Assert.Contains("Features: 64 numeric, 0 categorical", output);
        Assert.True(File.Exists(TrainCommand.CurvePath(model)));
    }

    [Fact]
    public void ModelForAnotherSchemaNamesTheMissingColumn()
    {
        using var directory = new TempDirectory();
        var model = Train(directory, directory.WriteSynthetic("train.csv", 100, "Class"), "Class");
        var other = directory.Write("other.csv", "x,colour,Class\n1,red,a\n");

        var (exitCode, output) = CliRunner.Run("evaluate", "--model", model, "--dataset", other);

        Assert.Equal(CliException.DataError, exitCode);
        Assert.Contains($"{other} does not match the schema of the model '{model}': missing column(s) 'y' (numeric). The file has: x, colour, Class.", output);
    }

    [Fact]
    public void EvaluateNeedsTheLabelButPredictDoesNot()
    {
        using var directory = new TempDirectory();
        var model = Train(directory, directory.WriteSynthetic("train.csv", 100, "Flag"), "Flag");
        var unlabelled = directory.WriteSynthetic("new.csv", 5, label: null);

        var (exitCode, output) = CliRunner.Run("evaluate", "--model", model, "--dataset", unlabelled);
        Assert.Equal(CliException.DataError, exitCode);
        Assert.Contains("missing column(s) 'Flag' (text)", output);

        (exitCode, output) = CliRunner.Run("predict", "--model", model, "--dataset", unlabelled, "--output", directory.File("p.csv"));
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void TextInANumericModelColumnNamesRowAndColumn()
    {
        using var directory = new TempDirectory();
        var model = Train(directory, directory.WriteSynthetic("train.csv", 100, "Class"), "Class");
        var bad = directory.Write("bad.csv", "x,y,colour\n1,2,red\n0.5,n/a,blue\n");

        var (exitCode, output) = CliRunner.Run("predict", "--model", model, "--dataset", bad);

        Assert.Equal(CliException.DataError, exitCode);
        Assert.Contains("row 3, column 'y': 'n/a' is not a number", output);
    }

    [Fact]
    public void UnknownIdColumnListsTheColumns()
    {
        using var directory = new TempDirectory();
        var model = Train(directory, directory.WriteSynthetic("train.csv", 100, "Class"), "Class");

        var (exitCode, output) = CliRunner.Run("predict", "--model", model, "--dataset", directory.WriteSynthetic("n.csv", 3, null), "--id", "Id");

        Assert.Equal(CliException.UsageError, exitCode);
        Assert.Contains("The id column 'Id' is not in", output);
        Assert.Contains("Available columns: x, y, colour.", output);
    }

    [Fact]
    public void TrainShowsOneProgressLinePerEpochInOrder()
    {
        using var directory = new TempDirectory();
        var model = directory.File("model.zip");

        var (exitCode, output) = CliRunner.Run("train", "--dataset", directory.WriteSynthetic("train.csv", 200, "Class"), "--label", "Class", "--hidden", "8", "--epochs", "5", "--output", model);

        Assert.True(exitCode == 0, output);
        var epochs = output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("epoch ", StringComparison.Ordinal)).Select(l => l.Split("  ")[0]);
        Assert.Equal(["epoch 1/5", "epoch 2/5", "epoch 3/5", "epoch 4/5", "epoch 5/5"], epochs);
    }

    [Fact]
    public void TrainTakesTheInputTransformAndEmbedding()
    {
        using var directory = new TempDirectory();
        var model = Train(directory, directory.WriteSynthetic("train.csv", 300, "Class"), "Class", "--input-transform", "Quantile", "--embedding", "PiecewiseLinear", "--embedding-dimension", "3", "--embedding-bins", "5");

        var (exitCode, output) = CliRunner.Run("evaluate", "--model", model, "--dataset", directory.WriteSynthetic("test.csv", 120, "Class", seed: 9));
        Assert.True(exitCode == 0, output);
        var accuracy = double.Parse(output.Split('\n').First(l => l.Contains("Accuracy (micro)")).Split('│', '|')[2].Trim(), CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 0.8, 1.0);

        (exitCode, output) = CliRunner.Run("train", "--dataset", directory.WriteSynthetic("bad.csv", 50, "Class"), "--label", "Class", "--embedding", "Fourier", "--output", directory.File("bad.zip"));
        Assert.NotEqual(0, exitCode);
        Assert.Contains("--embedding", output);
    }
}
