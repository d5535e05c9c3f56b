using Microsoft.ML;
using MlNetDeep.Tests.Internal;

namespace MlNetDeep.Tests.FeedForward;

/// <summary>
/// The trainers' typed progress (<see cref="FeedForwardTrainerOptionsBase.Progress"/>) and their cancellation: the
/// options' token and the MLContext's own cancellation (<see cref="MLContextCancellation.CancelExecution"/>) stop Fit
/// within one mini-batch.
/// </summary>
public class FeedForwardProgressAndCancellationTests
{
    // Far more epochs than any test waits for: reaching the natural end would take hours.
    private const int ManyEpochs = 10_000_000;

    [Theory]
    [InlineData("multiclass")]
    [InlineData("binary")]
    [InlineData("regression")]
    public void ProgressReceivesEveryEpochInOrderWithTheValuesOfTheModelHistory(string task)
    {
        var mlContext = new MLContext(seed: 1);
        var reported = new List<TrainingEpoch>();
        var progress = new RecordingProgress(reported.Add);
        var options = Options(task, epochs: 40);
        options.ValidationFraction = 0.25f;
        options.EarlyStoppingPatience = 3;
        options.Progress = progress;

        var history = Fit(mlContext, task, options).TrainingHistory;

        Assert.Equal(Enumerable.Range(1, history.Count), reported.Select(e => e.Epoch));
        Assert.Equal(
            history.Select(e => (e.Epoch, e.TrainingLoss, e.ValidationLoss, e.ValidationMetric, e.LearningRate, e.ElapsedSeconds)),
            reported.Select(e => (e.Epoch, e.TrainingLoss, e.ValidationLoss, e.ValidationMetric, e.LearningRate, e.ElapsedSeconds)));
        Assert.All(reported, e => Assert.True(e.ValidationLoss is > 0 && e.ValidationMetric is not null, e.ToString()));
        Assert.Equal(Environment.CurrentManagedThreadId, progress.ThreadIds.Distinct().Single());
    }

    [Theory]
    [InlineData("multiclass")]
    [InlineData("binary")]
    [InlineData("regression")]
    public void CancellingTheTokenAfterTheFirstEpochStopsFit(string task)
    {
        var mlContext = new MLContext(seed: 1);
        using var cancellation = new CancellationTokenSource();
        var reported = new List<int>();
        var options = Options(task, ManyEpochs);
        options.NumberOfThreads = 2;
        options.CancellationToken = cancellation.Token;
        options.Progress = new RecordingProgress(epoch =>
        {
            reported.Add(epoch.Epoch);
            cancellation.Cancel();
        });

        Assert.ThrowsAny<OperationCanceledException>(() => Fit(mlContext, task, options));

        Assert.Equal([1], reported);
    }

    [Fact]
    public async Task CancellingTheTokenFromAnotherThreadStopsFitWithinABatch()
    {
        var mlContext = new MLContext(seed: 1);
        using var cancellation = new CancellationTokenSource();
        var reported = 0;
        var reportedWhenCancelled = -1;
        var options = Options("regression", ManyEpochs);
        options.CancellationToken = cancellation.Token;
        options.Progress = new RecordingProgress(epoch =>
        {
            Interlocked.Increment(ref reported);
            if (epoch.Epoch == 3)
            {
                // Cancel from a timer thread while training goes on.
                cancellation.CancelAfter(TimeSpan.FromMilliseconds(50));
            }
        });
        cancellation.Token.Register(() => Volatile.Write(ref reportedWhenCancelled, Volatile.Read(ref reported)));

        var fit = Task.Run(() => Fit(mlContext, "regression", options));

        // A generous bound: Fit stops within one mini-batch of the cancellation, but the machine may be busy.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fit.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.InRange(reportedWhenCancelled, 3, ManyEpochs - 1);
        // The epoch running when the token was cancelled may finish (if its last batch had started), no more.
        Assert.InRange(reported, reportedWhenCancelled, reportedWhenCancelled + 1);
    }

    [Theory]
    [InlineData("multiclass")]
    [InlineData("regression")]
    public void CancelExecutionOfTheMLContextStopsFit(string task)
    {
        var mlContext = new MLContext(seed: 1);
        var reported = new List<int>();
        var options = Options(task, ManyEpochs);
        options.Progress = new RecordingProgress(epoch =>
        {
            reported.Add(epoch.Epoch);
            if (epoch.Epoch == 2)
            {
                mlContext.CancelExecution();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => Fit(mlContext, task, options));

        Assert.Equal([1, 2], reported);
    }

    [Fact]
    public void AnAlreadyCancelledTokenOrMLContextThrowsBeforeTraining()
    {
        var reported = 0;
        var options = (FeedForwardRegressionTrainer.Options)Options("regression", epochs: 5);
        options.Progress = new RecordingProgress(_ => reported++);
        options.CancellationToken = new CancellationToken(canceled: true);
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(64, seed: 1));

        Assert.ThrowsAny<OperationCanceledException>(() => mlContext.Regression.Trainers.FeedForward(options).Fit(data));

        options.CancellationToken = CancellationToken.None;
        var trainer = mlContext.Regression.Trainers.FeedForward(options);
        mlContext.CancelExecution();
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(data));
        Assert.Equal(0, reported);
    }

    [Fact]
    public void ACancelledFitLeavesNothingThatChangesTheNextOne()
    {
        FeedForwardModelParameters Train(CancellationToken token, IProgress<TrainingEpoch>? progress)
        {
            var options = Options("multiclass", epochs: 6);
            options.NumberOfThreads = 2;
            options.CancellationToken = token;
            options.Progress = progress;
            return Fit(new MLContext(seed: 1), "multiclass", options);
        }

        var expected = Train(CancellationToken.None, null).GetParameters();
        using var cancellation = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => Train(cancellation.Token, new RecordingProgress(_ => cancellation.Cancel())));
        var again = Train(CancellationToken.None, null).GetParameters();

        Assert.Equal(expected.Keys.Order(), again.Keys.Order());
        foreach (var (name, values) in expected)
        {
            Assert.Equal(values, again[name]);
        }
    }

    private static FeedForwardTrainerOptionsBase Options(string task, int epochs)
    {
        FeedForwardTrainerOptionsBase options = task switch
        {
            "multiclass" => FeedForwardScenario.Small(new FeedForwardMulticlassTrainer.Options(), "Label"),
            "binary" => FeedForwardScenario.Small(new FeedForwardBinaryTrainer.Options(), nameof(FeedForwardScenario.Row.IsPositive)),
            _ => FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), nameof(FeedForwardScenario.Row.Target)),
        };
        options.NumberOfEpochs = epochs;
        return options;
    }

    private static FeedForwardModelParameters Fit(MLContext mlContext, string task, FeedForwardTrainerOptionsBase options)
    {
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(96, seed: 1));
        return task switch
        {
            "multiclass" => mlContext.MulticlassClassification.Trainers.FeedForward((FeedForwardMulticlassTrainer.Options)options)
                .Fit(mlContext.Transforms.Conversion.MapValueToKey("Label", nameof(FeedForwardScenario.Row.Class)).Fit(data).Transform(data)).Model,
            "binary" => mlContext.BinaryClassification.Trainers.FeedForward((FeedForwardBinaryTrainer.Options)options).Fit(data).Model,
            _ => mlContext.Regression.Trainers.FeedForward((FeedForwardRegressionTrainer.Options)options).Fit(data).Model,
        };
    }

    /// <summary>Calls its handler at once, on the reporting thread, and notes that thread.</summary>
    private sealed class RecordingProgress(Action<TrainingEpoch> handler) : IProgress<TrainingEpoch>
    {
        public List<int> ThreadIds { get; } = [];

        public void Report(TrainingEpoch value)
        {
            ThreadIds.Add(Environment.CurrentManagedThreadId);
            handler(value);
        }
    }
}
