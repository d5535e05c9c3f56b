using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Tests.FeedForward;

public class FeedForwardBinaryTrainerTests
{
    [Fact]
    public void WorkoutFitsEvaluatesSavesAndLoadsWithIdenticalScores()
    {
        var (model, _, test) = FeedForwardWorkout.Run("binary");

        var metrics = new MLContext(seed: 1).BinaryClassification.Evaluate(test, labelColumnName: nameof(FeedForwardScenario.Row.IsPositive));
        Assert.True(metrics.AreaUnderRocCurve > 0.95, $"AUC {metrics.AreaUnderRocCurve}");
        Assert.True(metrics.Accuracy > 0.85, $"Accuracy {metrics.Accuracy}");
        Assert.True(metrics.LogLoss < 0.5, $"Log loss {metrics.LogLoss}");

        var predictor = Assert.IsType<BinaryPredictionTransformer<FeedForwardModelParameters>>(model);
        Assert.Equal(2, predictor.Model.ClassCount);
    }

    [Fact]
    public void ProbabilityIsTheSigmoidOfTheScoreAndPredictedLabelItsThreshold()
    {
        var test = FeedForwardWorkout.FitAndScore("binary");
        var scores = test.GetColumn<float>("Score").ToArray();
        var probabilities = test.GetColumn<float>("Probability").ToArray();
        var labels = test.GetColumn<bool>("PredictedLabel").ToArray();

        for (var i = 0; i < scores.Length; i++)
        {
            Assert.Equal(1 / (1 + Math.Exp(-scores[i])), probabilities[i], 5);
            Assert.Equal(scores[i] > 0, labels[i]);
        }
    }
}
