using Microsoft.ML;

namespace MlNetDeep.Tests.FeedForward;

/// <summary>Training with <see cref="DataLoading.Streaming"/>, the choice <see cref="DataLoading.Auto"/> makes, and views that misbehave mid-training.</summary>
public class FeedForwardStreamingTests
{
    private static FeedForwardMulticlassTrainer.Options Options(DataLoading loading, int shuffleBufferRows = 64) => FeedForwardScenario.Small(
        new FeedForwardMulticlassTrainer.Options { DataLoading = loading, ShuffleBufferRows = shuffleBufferRows, NumberOfEpochs = 20, EarlyStoppingPatience = 5 },
        "Label");

    private static (float[] Scores, double Accuracy, List<string> Log) FitAndScore(IEnumerable<FeedForwardScenario.Row> rows, FeedForwardMulticlassTrainer.Options options)
    {
        var mlContext = new MLContext(seed: 1);
        var log = new List<string>();
        mlContext.Log += (_, e) => log.Add(e.Message);
        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label", nameof(FeedForwardScenario.Row.Class))
            .Append(mlContext.MulticlassClassification.Trainers.FeedForward(options));
        var model = pipeline.Fit(mlContext.Data.LoadFromEnumerable(rows));
        var scored = model.Transform(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(300, seed: 42)));
        var accuracy = mlContext.MulticlassClassification.Evaluate(scored).MicroAccuracy;
        return (FeedForwardScenario.Scores(scored), accuracy, log);
    }

    [Fact]
    public void StreamingLearnsAsWellAsInMemoryAndTheSameSeedGivesTheSameModel()
    {
        var rows = FeedForwardScenario.Rows(600, seed: 5);

        var inMemory = FitAndScore(rows, Options(DataLoading.InMemory));
        var streamed = FitAndScore(rows, Options(DataLoading.Streaming));
        var again = FitAndScore(rows, Options(DataLoading.Streaming));

        Assert.True(streamed.Accuracy > 0.9 && streamed.Accuracy > inMemory.Accuracy - 0.03, $"streaming {streamed.Accuracy:F3}, in memory {inMemory.Accuracy:F3}");
        Assert.Equal(streamed.Scores, again.Scores);
        Assert.NotEqual(inMemory.Scores, streamed.Scores);
        Assert.Contains(streamed.Log, m => m.Contains("streamed rows of 4 features", StringComparison.Ordinal));
    }

    [Fact]
    public void AShuffleBufferThatHoldsEveryRowAndOneOfASingleRowBothTrain()
    {
        var rows = FeedForwardScenario.Rows(300, seed: 6);

        var whole = FitAndScore(rows, Options(DataLoading.Streaming, shuffleBufferRows: 100_000));
        var single = FitAndScore(rows, Options(DataLoading.Streaming, shuffleBufferRows: 1));

        Assert.True(whole.Accuracy > 0.85, $"whole-data buffer: {whole.Accuracy:F3}");
        Assert.True(single.Accuracy > 0.6, $"one-row buffer (no shuffling): {single.Accuracy:F3}");
    }

    [Fact]
    public void AutoKeepsSmallDataInMemoryAndSaysSo()
    {
        var rows = FeedForwardScenario.Rows(200, seed: 7);

        var (_, _, log) = FitAndScore(rows, Options(DataLoading.Auto));

        Assert.Contains(log, m => m.Contains("DataLoading Auto chose InMemory: the dense features of 200 rows", StringComparison.Ordinal));
        Assert.Contains(log, m => m.Contains("on 200 rows of 4 features", StringComparison.Ordinal));
    }

    [Fact]
    public void AViewWhoseRowsChangeBetweenPassesStopsStreamingWithAClearError()
    {
        var passes = 0;
        IEnumerable<FeedForwardScenario.Row> Growing()
        {
            // Every pass gives ten rows more than the one before.
            passes++;
            foreach (var row in FeedForwardScenario.Rows(200 + (10 * passes), seed: 8))
            {
                yield return row;
            }
        }

        var error = Assert.Throws<InvalidOperationException>(() => FitAndScore(Growing(), Options(DataLoading.Streaming)));

        Assert.Contains("rows changed between passes", error.Message);
    }

    [Fact]
    public void ACursorThatThrowsMidTrainingStopsItWithAClearError()
    {
        var passes = 0;
        IEnumerable<FeedForwardScenario.Row> Failing()
        {
            passes++;
            var i = 0;
            foreach (var row in FeedForwardScenario.Rows(200, seed: 9))
            {
                if (passes == 5 && ++i == 50)
                {
                    throw new IOException("the disk went away");
                }

                yield return row;
            }
        }

        var error = Assert.Throws<InvalidOperationException>(() => FitAndScore(Failing(), Options(DataLoading.Streaming)));

        Assert.Contains("Reading the training data failed", error.Message);
        Assert.Contains("the disk went away", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void AShuffleBufferOfNoRowsIsRefusedByName(int rows)
    {
        var error = Assert.Throws<ArgumentException>(() => new MLContext().MulticlassClassification.Trainers.FeedForward(Options(DataLoading.Streaming, rows)));

        Assert.Contains($"ShuffleBufferRows must be at least 1. Received: ShuffleBufferRows={rows}", error.Message);
    }
}
