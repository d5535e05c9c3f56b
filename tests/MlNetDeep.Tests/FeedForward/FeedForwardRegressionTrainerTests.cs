using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Tests.FeedForward;

public class FeedForwardRegressionTrainerTests
{
    [Fact]
    public void WorkoutFitsEvaluatesSavesAndLoadsWithIdenticalScores()
    {
        var (model, _, test) = FeedForwardWorkout.Run("regression");

        var metrics = new MLContext(seed: 1).Regression.Evaluate(test, labelColumnName: nameof(FeedForwardScenario.Row.Target));
        Assert.True(metrics.RSquared > 0.9, $"R² {metrics.RSquared}");
        Assert.True(metrics.RootMeanSquaredError < 30, $"RMSE {metrics.RootMeanSquaredError} on targets between 25 and 346");

        var predictor = Assert.IsType<RegressionPredictionTransformer<FeedForwardModelParameters>>(model);
        Assert.Equal(0, predictor.Model.ClassCount);
    }

    [Fact]
    public void PredictsOnTheLabelsOwnScale()
    {
        var test = FeedForwardWorkout.FitAndScore("regression");
        var scores = test.GetColumn<float>("Score").ToArray();
        var targets = FeedForwardScenario.TestRows().Select(r => r.Target).ToArray();

        // The targets lie between 25 and 346; the network is trained on them standardized and must answer in their units.
        var meanAbsoluteError = scores.Zip(targets, (s, t) => Math.Abs(s - t)).Average();
        var summary = $"scores mean {scores.Average()}, sd {StandardDeviation(scores)}; targets mean {targets.Average()}, sd {StandardDeviation(targets)}; MAE {meanAbsoluteError}";
        Assert.True(Math.Abs(scores.Average() - targets.Average()) < 20, summary);
        Assert.True(Math.Abs(StandardDeviation(scores) - StandardDeviation(targets)) < 0.2 * StandardDeviation(targets), summary);
        Assert.True(meanAbsoluteError < 35, summary);
    }

    private static double StandardDeviation(float[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
    }
}
