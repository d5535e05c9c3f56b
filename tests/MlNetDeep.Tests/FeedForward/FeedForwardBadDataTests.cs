using Microsoft.ML;

namespace MlNetDeep.Tests.FeedForward;

/// <summary>Every kind of unusable training data gets an error that names the column and says what was found.</summary>
public class FeedForwardBadDataTests
{
    private readonly MLContext _mlContext = new(seed: 1);

    [Fact]
    public void MissingFeatureColumnIsNamed()
    {
        var data = _mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(20, seed: 1));
        var trainer = _mlContext.Regression.Trainers.FeedForward(labelColumnName: "Target", featureColumnName: "Pixels");
        var error = Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(data));
        Assert.Contains("Pixels", error.Message);
    }

    [Fact]
    public void MissingLabelColumnIsNamed()
    {
        var data = _mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(20, seed: 1));
        var trainer = _mlContext.BinaryClassification.Trainers.FeedForward(labelColumnName: "Outcome");
        var error = Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(data));
        Assert.Contains("Outcome", error.Message);
    }

    [Fact]
    public void MulticlassLabelThatIsNotAKeyPointsToMapValueToKey()
    {
        var data = _mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(20, seed: 1));
        var trainer = _mlContext.MulticlassClassification.Trainers.FeedForward(labelColumnName: nameof(FeedForwardScenario.Row.Class));
        var error = Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(data));
        Assert.Contains("'Class'", error.Message);
        Assert.Contains("MapValueToKey", error.Message);
    }

    [Fact]
    public void BinaryLabelThatIsNotBooleanIsNamed()
    {
        var data = _mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(20, seed: 1));
        var trainer = _mlContext.BinaryClassification.Trainers.FeedForward(labelColumnName: nameof(FeedForwardScenario.Row.Target));
        var error = Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(data));
        Assert.Contains("'Target'", error.Message);
        Assert.Contains("Boolean", error.Message);
    }

    [Fact]
    public void FeatureColumnOfTheWrongTypeIsNamed()
    {
        var data = _mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(20, seed: 1));
        var trainer = _mlContext.Regression.Trainers.FeedForward(labelColumnName: "Target", featureColumnName: nameof(FeedForwardScenario.Row.Class));
        var error = Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(data));
        Assert.Contains("Class", error.Message);
    }

    [Fact]
    public void VariableSizeFeatureVectorsAreRejected()
    {
        var data = _mlContext.Data.LoadFromEnumerable(new[]
        {
            new VariableRow { Features = [1f, 2f], Target = 1f },
            new VariableRow { Features = [1f, 2f, 3f], Target = 2f },
        });
        var trainer = _mlContext.Regression.Trainers.FeedForward(labelColumnName: "Target");
        var error = Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(data));
        Assert.Contains("Features", error.Message);
    }

    [Fact]
    public void NaNFeaturePointsToReplaceMissingValues()
    {
        var rows = FeedForwardScenario.Rows(20, seed: 1);
        rows[7].Features[2] = float.NaN;
        var trainer = _mlContext.Regression.Trainers.FeedForward(FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), "Target"));
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(_mlContext.Data.LoadFromEnumerable(rows)));
        Assert.Contains("'Features'", error.Message);
        Assert.Contains("row 7", error.Message);
        Assert.Contains("ReplaceMissingValues", error.Message);
    }

    [Fact]
    public void InfiniteFeatureIsRejected()
    {
        var rows = FeedForwardScenario.Rows(20, seed: 1);
        rows[3].Features[0] = float.PositiveInfinity;
        var trainer = _mlContext.BinaryClassification.Trainers.FeedForward(FeedForwardScenario.Small(new FeedForwardBinaryTrainer.Options(), "IsPositive"));
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(_mlContext.Data.LoadFromEnumerable(rows)));
        Assert.Contains("infinite", error.Message);
        Assert.Contains("'Features'", error.Message);
    }

    [Fact]
    public void ZeroRowsAreRejected()
    {
        var trainer = _mlContext.Regression.Trainers.FeedForward(labelColumnName: "Target");
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(_mlContext.Data.LoadFromEnumerable(Array.Empty<FeedForwardScenario.Row>())));
        Assert.Contains("no rows", error.Message);
    }

    [Fact]
    public void ASingleClassIsRejectedNamingTheClass()
    {
        var rows = FeedForwardScenario.Rows(20, seed: 1);
        foreach (var row in rows)
        {
            row.Class = "dog";
        }

        var pipeline = _mlContext.Transforms.Conversion.MapValueToKey("Label", "Class")
            .Append(_mlContext.MulticlassClassification.Trainers.FeedForward());
        var error = Assert.Throws<InvalidOperationException>(() => pipeline.Fit(_mlContext.Data.LoadFromEnumerable(rows)));
        Assert.Contains("'Label'", error.Message);
        Assert.Contains("'dog'", error.Message);
    }

    [Fact]
    public void NegativeExampleWeightIsNamed()
    {
        var rows = FeedForwardScenario.Rows(20, seed: 1);
        rows[4].Weight = -1f;
        var trainer = _mlContext.Regression.Trainers.FeedForward(labelColumnName: "Target", exampleWeightColumnName: "Weight");
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(_mlContext.Data.LoadFromEnumerable(rows)));
        Assert.Contains("'Weight'", error.Message);
    }

    [Fact]
    public void DivergingTrainingNamesTheEpoch()
    {
        var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), "Target");
        options.Optimizer = Optimizer.SGD;
        options.Normalization = Normalization.None;
        options.LearningRate = 1e12f;
        var trainer = _mlContext.Regression.Trainers.FeedForward(options);
        var error = Assert.Throws<InvalidOperationException>(() => trainer.Fit(_mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(64, seed: 1))));
        Assert.Matches("epoch [0-9]+", error.Message);
    }

    private sealed class VariableRow
    {
        public float[] Features { get; set; } = [];

        public float Target { get; set; }
    }
}
