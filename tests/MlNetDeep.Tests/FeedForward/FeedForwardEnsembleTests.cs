using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Tests.FeedForward;

/// <summary>The trainers with a parameter-efficient ensemble: the whole workout, the uncertainty column, the embedding and the option check.</summary>
public class FeedForwardEnsembleTests
{
    [Theory]
    [InlineData("multiclass-ensemble")]
    [InlineData("binary-ensemble")]
    [InlineData("regression-ensemble")]
    public void EnsemblesGoThroughTheWorkoutWithAnUncertaintyColumn(string task)
    {
        var (model, _, test) = FeedForwardWorkout.Run(task);
        var uncertainty = test.GetColumn<float>("Uncertainty").ToArray();
        Assert.All(uncertainty, u => Assert.True(u >= 0 && float.IsFinite(u)));
        Assert.Contains(uncertainty, u => u > 0);

        var mlContext = new MLContext(seed: 1);
        switch (task)
        {
            case "multiclass-ensemble":
                Assert.True(mlContext.MulticlassClassification.Evaluate(test).MicroAccuracy > 0.85);
                break;
            case "binary-ensemble":
                Assert.True(mlContext.BinaryClassification.Evaluate(test, labelColumnName: nameof(FeedForwardScenario.Row.IsPositive)).Accuracy > 0.85);
                break;
            default:
                Assert.True(mlContext.Regression.Evaluate(test, labelColumnName: nameof(FeedForwardScenario.Row.Target)).RSquared > 0.8);
                var predictor = Assert.IsType<RegressionPredictionTransformer<FeedForwardModelParameters>>(model);
                Assert.Equal(5, predictor.Model.EnsembleSize);
                Assert.Contains("ensemble of 5", predictor.Model.ToString());
                break;
        }
    }

    [Fact]
    public void TheEmbeddingOfAnEnsembleIsItsMembersActivationsSideBySide()
    {
        var mlContext = new MLContext(seed: 3);
        var train = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(300, seed: 1));
        var model = (RegressionPredictionTransformer<FeedForwardModelParameters>)FeedForwardScenario.Pipeline(mlContext, "regression-ensemble").Fit(train);
        var transformer = mlContext.Transforms.FeedForwardEmbedding(model.Model).Fit(train);
        Assert.Equal(5 * 16, transformer.EmbeddingSize);
    }

    [Fact]
    public void EnsembleSizeOutOfRangeIsRefusedByName()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new MLContext(seed: 1).Regression.Trainers.FeedForward(new FeedForwardRegressionTrainer.Options { EnsembleSize = 0 }));
        Assert.Contains(nameof(FeedForwardTrainerOptionsBase.EnsembleSize), error.Message);
    }
}
