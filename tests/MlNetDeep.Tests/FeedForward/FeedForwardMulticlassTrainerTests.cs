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
}
