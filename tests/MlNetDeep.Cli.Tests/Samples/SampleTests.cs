using MlNetDeep.Samples.BreastCancer;
using MlNetDeep.Samples.TextClassification;

namespace MlNetDeep.Cli.Tests.Samples;

/// <summary>Every sample's entry point on tiny settings (few epochs), with its printed results checked.</summary>
public class SampleTests
{
    [Fact]
    public void QuickstartTrainsSavesLoadsAndPredicts()
    {
        using var directory = new TempDirectory();
        var output = new StringWriter();
        var model = directory.File("digits.zip");

        var (accuracy, predicted, _) = MlNetDeep.Samples.Quickstart.Program.Run(3, model, output);

        Assert.InRange(accuracy, 0.5, 1.0);
        Assert.Contains(predicted, Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(File.Exists(model));
        Assert.Contains("Test accuracy:", output.ToString());
        Assert.Contains($"predicted {predicted}", output.ToString());
    }

    [Fact]
    public void OnnxExportScoresTheExportedPipelineWithOnnxRuntime()
    {
        using var directory = new TempDirectory();
        var output = new StringWriter();
        var path = directory.File("BreastCancer.onnx");

        var (accuracy, difference) = MlNetDeep.Samples.OnnxExport.Program.Run(5, path, output);

        Assert.True(File.Exists(path));
        Assert.InRange(accuracy, 0.8, 1.0);
        Assert.InRange(difference, 0, 1e-5);
        Assert.Contains("ONNX Runtime on ", output.ToString());
    }

    [Fact]
    public void BreastCancerModelBuilderPairTrainsAndPredicts()
    {
        using var directory = new TempDirectory();
        var output = new StringWriter();
        BreastCancerModel.MLNetModelPath = directory.File("BreastCancerModel.zip");

        var (accuracy, prediction) = MlNetDeep.Samples.BreastCancer.Program.Run(5, output);

        Assert.InRange(accuracy, 0.8, 1.0);
        Assert.True(File.Exists(BreastCancerModel.MLNetModelPath));
        // The sample predicts the first row of the file, a large malignant tumour.
        Assert.False(prediction.PredictedLabel);
        Assert.InRange(prediction.Probability, 0f, 0.5f);
        Assert.Same(BreastCancerModel.PredictEngine.Value, BreastCancerModel.PredictEngine.Value);
    }

    [Fact]
    public void RegressionPredictsOnTheTargetScale()
    {
        var output = new StringWriter();

        var (rmse, predicted, actual) = MlNetDeep.Samples.Regression.Program.Run(60, output);

        // The target runs 25..346 with sd 77.1: the model must beat predicting the mean, which a model on the
        // wrong scale cannot.
        Assert.InRange(rmse, 30, 77.1);
        Assert.InRange(predicted, 25f, 346f);
        Assert.InRange(actual, 25f, 346f);
        Assert.Contains("Test RMSE:", output.ToString());
    }
    [Fact]
    public void TuningSearchesRetrainsAndEvaluates()
    {
        var output = new StringWriter();

        var (trials, auc) = MlNetDeep.Samples.Tuning.Program.Run(trials: 3, epochs: 5, output);

        Assert.Equal(3, trials);
        Assert.InRange(auc, 0.8, 1.0);
        var text = output.ToString();
        Assert.Contains("trial  1: AUC", text);
        Assert.Contains("trial  3: AUC", text);
        Assert.Contains("Best of 3 trials", text);
        Assert.Contains("Test AUC", text);
    }

    [Fact]
    public void TextClassificationTrainsOnSparseNgramsAndPredictsANovel()
    {
        // A stratified sample of 2,000 of the 15,487 passages and 3 epochs keep the test to seconds (about 65 %); the
        // sample's own run on every passage reaches about 83 %.
        using var directory = new TempDirectory();
        var output = new StringWriter();
        TextClassificationModel.MLNetModelPath = directory.File("TextClassificationModel.zip");

        var (accuracy, _, prediction) = MlNetDeep.Samples.TextClassification.Program.Run(3, 2000, output);

        // Six novels: always answering the largest (Emma) scores 22 %.
        Assert.InRange(accuracy, 0.45, 1.0);
        Assert.True(File.Exists(TextClassificationModel.MLNetModelPath));
        Assert.Contains(prediction.PredictedLabel, new[] { "Emma", "MansfieldPark", "NorthangerAbbey", "Persuasion", "PrideAndPrejudice", "SenseAndSensibility" });
        Assert.Equal(6, prediction.Score.Length);
        Assert.Contains("Test accuracy:", output.ToString());
    }
}
