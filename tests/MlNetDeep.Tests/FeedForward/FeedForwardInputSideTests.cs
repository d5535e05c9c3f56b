using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Tests.FeedForward;

/// <summary>The trainers with an input transform and a numeric embedding: the whole workout, the state-dict names and the option checks.</summary>
public class FeedForwardInputSideTests
{
    [Fact]
    public void MulticlassWithQuantilesAndPeriodicEmbeddingsGoesThroughTheWorkout()
    {
        var (model, _, test) = FeedForwardWorkout.Run("multiclass-embedded");
        var metrics = new MLContext(seed: 1).MulticlassClassification.Evaluate(test);
        Assert.True(metrics.MicroAccuracy > 0.85, $"Micro accuracy {metrics.MicroAccuracy}");

        var predictor = Assert.IsType<MulticlassPredictionTransformer<FeedForwardModelParameters>>(((IEnumerable<ITransformer>)model).ElementAt(1));
        var parameters = predictor.Model.GetParameters();
        const int features = FeedForwardScenario.FeatureCount;
        Assert.Equal(features * 3, parameters["embedding.frequencies"].Length);
        Assert.Equal(features * 4 * 6, parameters["embedding.weight"].Length);
        Assert.Equal(features * 4, parameters["embedding.bias"].Length);
        Assert.Equal(features * 1000, parameters["input.quantiles"].Length);
        Assert.Equal(16 * features * 4, parameters["layers.0.weight"].Length);
    }

    [Fact]
    public void BinaryWithSmoothClippingAndSharedPeriodicEmbeddingsGoesThroughTheWorkout()
    {
        var (_, _, test) = FeedForwardWorkout.Run("binary-embedded");
        var metrics = new MLContext(seed: 1).BinaryClassification.Evaluate(test, labelColumnName: nameof(FeedForwardScenario.Row.IsPositive));
        Assert.True(metrics.Accuracy > 0.85, $"Accuracy {metrics.Accuracy}");
    }

    [Fact]
    public void RegressionWithPiecewiseLinearEmbeddingsGoesThroughTheWorkout()
    {
        var (model, _, test) = FeedForwardWorkout.Run("regression-embedded");
        var metrics = new MLContext(seed: 1).Regression.Evaluate(test, labelColumnName: nameof(FeedForwardScenario.Row.Target));
        Assert.True(metrics.RSquared > 0.8, $"R² {metrics.RSquared}");
        var predictor = Assert.IsType<RegressionPredictionTransformer<FeedForwardModelParameters>>(model);
        var parameters = predictor.Model.GetParameters();
        Assert.Equal(FeedForwardScenario.FeatureCount * 7, parameters["embedding.edges"].Length);
        Assert.All(parameters["embedding.bins"], bins => Assert.InRange(bins, 1f, 6f));
        Assert.Equal(FeedForwardScenario.FeatureCount, parameters["embedding.bins"].Length);
    }

    [Theory]
    [InlineData(nameof(FeedForwardTrainerOptionsBase.EmbeddingDimension), 0)]
    [InlineData(nameof(FeedForwardTrainerOptionsBase.EmbeddingFrequencies), 0)]
    [InlineData(nameof(FeedForwardTrainerOptionsBase.EmbeddingFrequencyScale), 0)]
    [InlineData(nameof(FeedForwardTrainerOptionsBase.EmbeddingFrequencyScale), -1)]
    [InlineData(nameof(FeedForwardTrainerOptionsBase.EmbeddingBins), 1)]
    [InlineData(nameof(FeedForwardTrainerOptionsBase.InputTransform), 17)]
    [InlineData(nameof(FeedForwardTrainerOptionsBase.NumericEmbedding), 9)]
    public void BadInputSideOptionsAreRefusedByName(string option, float value)
    {
        var options = new FeedForwardMulticlassTrainer.Options();
        switch (option)
        {
            case nameof(options.EmbeddingDimension): options.EmbeddingDimension = (int)value; break;
            case nameof(options.EmbeddingFrequencies): options.EmbeddingFrequencies = (int)value; break;
            case nameof(options.EmbeddingFrequencyScale): options.EmbeddingFrequencyScale = value; break;
            case nameof(options.EmbeddingBins): options.EmbeddingBins = (int)value; break;
            case nameof(options.InputTransform): options.InputTransform = (InputTransform)(int)value; break;
            default: options.NumericEmbedding = (NumericEmbedding)(int)value; break;
        }

        var error = Assert.ThrowsAny<ArgumentException>(() => new MLContext(seed: 1).MulticlassClassification.Trainers.FeedForward(options));
        Assert.Contains(option, error.Message);
    }
}
