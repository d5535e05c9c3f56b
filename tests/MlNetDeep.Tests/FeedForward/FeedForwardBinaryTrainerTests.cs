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

    [Fact]
    public void LabelSmoothingWithAFlatCosineScheduleTrainsAndKeepsTheProbabilitiesFromCertainty()
    {
        var mlContext = new MLContext(seed: 3);
        var train = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(300, seed: 1));
        var test = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows());
        BinaryPredictionTransformer<FeedForwardModelParameters> Fit(float labelSmoothing)
        {
            var options = FeedForwardScenario.Small(new FeedForwardBinaryTrainer.Options { LabelSmoothing = labelSmoothing, LearningRateSchedule = LearningRateSchedule.FlatCosine, Beta2 = 0.95f }, nameof(FeedForwardScenario.Row.IsPositive));
            options.NumberOfEpochs = 10;
            return mlContext.BinaryClassification.Trainers.FeedForward(options).Fit(train);
        }

        double MeanConfidence(ITransformer model) => model.Transform(test).GetColumn<float>("Probability").Average(p => Math.Max(p, 1 - p));

        var smoothed = Fit(0.1f);
        var plain = Fit(0f);

        // Over 10 epochs FlatCosine keeps 0.01 for epochs 1 to 6 and ends at (1 − cos(π/5))/2 of it.
        var history = smoothed.Model.TrainingHistory;
        Assert.All(history.Take(6), e => Assert.Equal(0.01, e.LearningRate, 6));
        Assert.Equal(0.01 * (1 - Math.Cos(Math.PI / 5)) / 2, history[9].LearningRate, 6);
        Assert.True(history[^1].TrainingLoss < history[0].TrainingLoss, $"loss {history[0].TrainingLoss} → {history[^1].TrainingLoss}");

        var metrics = mlContext.BinaryClassification.Evaluate(smoothed.Transform(test), labelColumnName: nameof(FeedForwardScenario.Row.IsPositive));
        Assert.True(metrics.Accuracy > 0.85, $"Accuracy {metrics.Accuracy}");
        Assert.True(MeanConfidence(smoothed) < MeanConfidence(plain), $"smoothed {MeanConfidence(smoothed)}, plain {MeanConfidence(plain)}");
    }
}
