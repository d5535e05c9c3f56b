using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Tests.FeedForward;

public class FeedForwardMulticlassTrainerTests
{
    [Fact]
    public void WorkoutFitsEvaluatesSavesAndLoadsWithIdenticalScores()
    {
        var (model, _, test) = FeedForwardWorkout.Run("multiclass");

        var metrics = new MLContext(seed: 1).MulticlassClassification.Evaluate(test);
        Assert.True(metrics.MicroAccuracy > 0.9, $"Micro accuracy {metrics.MicroAccuracy}");
        Assert.True(metrics.LogLoss < 0.4, $"Log loss {metrics.LogLoss}");

        var predictor = Assert.IsType<MulticlassPredictionTransformer<FeedForwardModelParameters>>(((IEnumerable<ITransformer>)model).ElementAt(1));
        Assert.Equal(3, predictor.Model.ClassCount);
        Assert.Equal(FeedForwardScenario.ClassNames, predictor.Model.ClassNames);
        var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
        test.Schema["Score"].GetSlotNames(ref slotNames);
        Assert.Equal(FeedForwardScenario.ClassNames, slotNames.DenseValues().Select(n => n.ToString()));
    }

    [Fact]
    public void PredictedLabelMapsBackToTheClassNames()
    {
        var mlContext = new MLContext(seed: 3);
        var train = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(300, seed: 1));
        var model = FeedForwardScenario.Pipeline(mlContext, "multiclass").Fit(train);
        var rows = FeedForwardScenario.TestRows();
        var predicted = model.Transform(mlContext.Data.LoadFromEnumerable(rows)).GetColumn<string>("PredictedClass").ToArray();

        Assert.All(predicted, p => Assert.Contains(p, FeedForwardScenario.ClassNames));
        var correct = predicted.Zip(rows, (p, r) => p == r.Class).Count(c => c);
        Assert.True(correct >= 36, $"{correct} of {rows.Length} test rows predicted correctly.");
    }

    [Fact]
    public void LabelSmoothingWithAFlatCosineScheduleTrainsAndKeepsTheProbabilitiesFromCertainty()
    {
        var mlContext = new MLContext(seed: 3);
        var train = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(300, seed: 1));
        var test = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows());
        TransformerChain<MulticlassPredictionTransformer<FeedForwardModelParameters>> Fit(float labelSmoothing)
        {
            var options = FeedForwardScenario.Small(new FeedForwardMulticlassTrainer.Options { LabelSmoothing = labelSmoothing, LearningRateSchedule = LearningRateSchedule.FlatCosine }, "Label");
            options.NumberOfEpochs = 12;
            return mlContext.Transforms.Conversion.MapValueToKey("Label", nameof(FeedForwardScenario.Row.Class)).Append(mlContext.MulticlassClassification.Trainers.FeedForward(options)).Fit(train);
        }

        double MeanTopProbability(ITransformer model) => model.Transform(test).GetColumn<float[]>("Score").Average(p => p.Max());

        var smoothed = Fit(0.1f);
        var plain = Fit(0f);

        // Over 12 epochs FlatCosine keeps 0.01 for epochs 1 to 7, halves it at epoch 10 and ends at (1 − cos(π/6))/2 of it.
        var history = smoothed.LastTransformer.Model.TrainingHistory;
        Assert.Equal(12, history.Count);
        Assert.All(history.Take(7), e => Assert.Equal(0.01, e.LearningRate, 6));
        Assert.InRange(history[7].LearningRate, 0.005, 0.00999);
        Assert.Equal(0.005, history[9].LearningRate, 6);
        Assert.Equal(0.01 * (1 - Math.Cos(Math.PI / 6)) / 2, history[11].LearningRate, 6);
        Assert.True(history[^1].TrainingLoss < history[0].TrainingLoss, $"loss {history[0].TrainingLoss} → {history[^1].TrainingLoss}");

        var metrics = mlContext.MulticlassClassification.Evaluate(smoothed.Transform(test));
        Assert.True(metrics.MicroAccuracy > 0.9, $"Micro accuracy {metrics.MicroAccuracy}");
        Assert.True(MeanTopProbability(smoothed) < MeanTopProbability(plain), $"smoothed {MeanTopProbability(smoothed)}, plain {MeanTopProbability(plain)}");
    }
}
