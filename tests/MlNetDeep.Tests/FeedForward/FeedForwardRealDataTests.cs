using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Tests.FeedForward;

/// <summary>
/// Quick checks on real data sets from data/ (copied to the test output): the default options, through the simple
/// catalog overloads, with only the epoch count cut to keep the tests fast, reach a sane test accuracy.
/// </summary>
public class FeedForwardRealDataTests
{
    [Fact]
    public void BreastCancerWithDefaultOptions()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromTextFile(DataPath("breast_cancer.csv"),
        [
            new TextLoader.Column("Label", DataKind.Boolean, 0),
            new TextLoader.Column("Features", DataKind.Single, 1, 30),
        ], separatorChar: ',', hasHeader: true);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.25, seed: 1);

        var model = mlContext.BinaryClassification.Trainers.FeedForward(numberOfEpochs: 15).Fit(split.TrainSet);
        var metrics = mlContext.BinaryClassification.Evaluate(model.Transform(split.TestSet));

        Assert.Equal([256, 128], model.Model.HiddenLayers.Select(l => l.Units));
        Assert.Equal(30, model.Model.InputSize);
        Assert.True(metrics.Accuracy > 0.93, $"Accuracy {metrics.Accuracy}");
        Assert.True(metrics.AreaUnderRocCurve > 0.97, $"AUC {metrics.AreaUnderRocCurve}");
    }

    [Fact]
    public void DigitsWithDefaultOptions()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromTextFile(DataPath("digits.csv"),
        [
            new TextLoader.Column("Digit", DataKind.Single, 0),
            new TextLoader.Column("Features", DataKind.Single, 1, 64),
        ], separatorChar: ',', hasHeader: true);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.25, seed: 1);
        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label", "Digit")
            .Append(mlContext.MulticlassClassification.Trainers.FeedForward(numberOfEpochs: 10));

        var model = pipeline.Fit(split.TrainSet);
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(split.TestSet));

        Assert.Equal(10, model.LastTransformer.Model.ClassCount);
        Assert.True(metrics.MicroAccuracy > 0.94, $"Accuracy {metrics.MicroAccuracy}");
    }

    private static string DataPath(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);
}
