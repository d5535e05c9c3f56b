using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Tests.Internal;
using MlNetDeep.Training;
using MlNetDeep.Tuning;

namespace MlNetDeep.Tests.Tuning;

/// <summary>
/// The one-call tuners on tiny synthetic data with a few trials of a few epochs: results, metric direction,
/// search-space narrowing, failed trials, determinism, cross-validation and logging.
/// </summary>
public class FeedForwardTunerTests
{
    [Fact]
    public void MulticlassTunerMaximizesAccuracyAndItsBestModelScoresTheData()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Multiclass(mlContext);
        var trials = new List<Trial>();
        var options = SmallOptions(new FeedForwardMulticlassTrainer.Options(), maxTrials: 4);
        options.Progress = trials.Add;

        var result = mlContext.MulticlassClassification.TuneFeedForward(data, options);

        Assert.Equal(4, result.Trials.Count);
        Assert.Equal(result.Trials, trials);
        Assert.All(result.Trials, t => Assert.True(t.Succeeded, t.Failure));
        Assert.Equal(FeedForwardTuningMetric.MicroAccuracy, result.Metric);
        Assert.Equal(result.Trials.Max(t => t.Value), result.BestTrial.Value);
        Assert.Equal(result.BestTrial.Value, result.BestMetrics.MicroAccuracy);
        Assert.Equal(result.BestTrial.Parameters.GetDouble(FeedForwardSearchSpace.LearningRate), result.BestOptions.LearningRate, 5);
        var accuracy = mlContext.MulticlassClassification.Evaluate(result.BestModel.Transform(data)).MicroAccuracy;
        Assert.True(accuracy > 0.8, $"accuracy {accuracy}");
    }

    [Fact]
    public void BinaryTunerReturnsAModelThatScoresTheData()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Binary(mlContext);
        var options = SmallOptions(new FeedForwardBinaryTrainer.Options(), maxTrials: 3);
        options.Metric = FeedForwardTuningMetric.Accuracy;

        var result = mlContext.BinaryClassification.TuneFeedForward(data, options);

        Assert.Equal(3, result.Trials.Count);
        Assert.Equal(result.Trials.Max(t => t.Value), result.BestTrial.Value);
        Assert.Equal(result.BestTrial.Value, result.BestMetrics.Accuracy);
        var predicted = result.BestModel.Transform(data).GetColumn<bool>("PredictedLabel").ToArray();
        var labels = data.GetColumn<bool>("Label").ToArray();
        Assert.True(predicted.Zip(labels).Count(p => p.First == p.Second) > 0.85 * labels.Length);
    }

    [Fact]
    public void RegressionTunerMinimizesRmse()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Regression(mlContext);
        var options = SmallOptions(new FeedForwardRegressionTrainer.Options(), maxTrials: 4);

        var result = mlContext.Regression.TuneFeedForward(data, options);

        Assert.Equal(FeedForwardTuningMetric.RootMeanSquaredError, result.Metric);
        Assert.Equal(4, result.Trials.Count);
        Assert.Equal(result.Trials.Min(t => t.Value), result.BestTrial.Value);
        Assert.True(result.Trials.Max(t => t.Value) > result.BestTrial.Value, "the trials should differ");
        Assert.Equal(result.BestTrial.Value, result.BestMetrics.RootMeanSquaredError, 10);
        var scores = result.BestModel.Transform(data).GetColumn<float>("Score").ToArray();
        Assert.Equal(data.GetRowCount(), scores.Length);
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
    }

    [Fact]
    public void NarrowedSpaceFixesTheActivationAndUnsearchedOptionsKeepTheirBaseValues()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Multiclass(mlContext);
        var options = SmallOptions(new FeedForwardMulticlassTrainer.Options { Normalization = Normalization.LayerNorm, BatchSize = 16 }, maxTrials: 3);
        options.SearchSpace = new SearchSpace()
            .AddFloat(FeedForwardSearchSpace.LearningRate, 1e-3, 3e-2, logScale: true)
            .AddChoice(FeedForwardSearchSpace.Activation, nameof(Activation.GELU));

        var result = mlContext.MulticlassClassification.TuneFeedForward(data, options);

        Assert.All(result.Trials, t => Assert.Equal(nameof(Activation.GELU), t.Parameters.GetString(FeedForwardSearchSpace.Activation)));
        Assert.All(result.Trials, t => Assert.False(t.Parameters.Contains(FeedForwardSearchSpace.Units)));
        Assert.Equal(Activation.GELU, result.BestOptions.Activation);
        Assert.Equal(Normalization.LayerNorm, result.BestOptions.Normalization);
        Assert.Equal(16, result.BestOptions.BatchSize);
        Assert.Equal([12], result.BestOptions.HiddenLayers);
    }

    [Fact]
    public void DefaultSpaceSearchesEveryOptionItNames()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Binary(mlContext, rows: 60);
        var options = SmallOptions(new FeedForwardBinaryTrainer.Options { NumberOfEpochs = 2 }, maxTrials: 3);
        options.SearchSpace = null;

        var result = mlContext.BinaryClassification.TuneFeedForward(data, options);

        Assert.Equal(3, result.Trials.Count);
        Assert.All(result.Trials, t => Assert.True(t.Succeeded, t.Failure));
        var best = result.BestTrial.Parameters;
        Assert.Equal(Enumerable.Repeat(best.GetInt(FeedForwardSearchSpace.Units), best.GetInt(FeedForwardSearchSpace.Layers)), result.BestOptions.HiddenLayers);
        Assert.Equal(best.GetString(FeedForwardSearchSpace.Activation), result.BestOptions.Activation.ToString());
        Assert.Equal(best.GetString(FeedForwardSearchSpace.Normalization), result.BestOptions.Normalization.ToString());
        Assert.Equal(best.GetString(FeedForwardSearchSpace.WeightInitializer), result.BestOptions.WeightInitializer.ToString());
        Assert.Equal(best.GetInt(FeedForwardSearchSpace.BatchSize), result.BestOptions.BatchSize);
        Assert.Equal(best.GetString(FeedForwardSearchSpace.Dropout) == "on" ? (float)best.GetDouble(FeedForwardSearchSpace.DropoutRate) : 0f, result.BestOptions.DropoutRate);
    }

    [Theory]
    [InlineData(TaskKind.Multiclass)]
    [InlineData(TaskKind.Binary)]
    [InlineData(TaskKind.Regression)]
    public void EachTaskSearchesItsDefaultSpaceWithTheInputEmbeddingAndEnsembleOptions(TaskKind task)
    {
        var mlContext = new MLContext(seed: 1);
        var options = SmallOptions(task switch
        {
            TaskKind.Multiclass => new FeedForwardMulticlassTrainer.Options(),
            TaskKind.Binary => new FeedForwardBinaryTrainer.Options(),
            _ => new FeedForwardRegressionTrainer.Options(),
        }, maxTrials: 3);
        options.BaseOptions!.NumberOfEpochs = 2;
        options.SearchSpace = null;
        options.SearchAlgorithm = FeedForwardSearchAlgorithm.Random;

        var (trials, best) = task switch
        {
            TaskKind.Multiclass => Run(mlContext.MulticlassClassification.TuneFeedForward(TuningData.Multiclass(mlContext, rows: 60), options)),
            TaskKind.Binary => Run(mlContext.BinaryClassification.TuneFeedForward(TuningData.Binary(mlContext, rows: 60), options)),
            _ => Run(mlContext.Regression.TuneFeedForward(TuningData.Regression(mlContext, rows: 60), options)),
        };

        Assert.Equal(3, trials.Count);
        Assert.All(trials, t => Assert.True(t.Succeeded, t.Failure));
        var space = FeedForwardSearchSpace.CreateDefault(task);
        Assert.All(trials, t => space.Validate(t.Parameters));
        Assert.All(trials, t => Assert.Equal(task != TaskKind.Regression, t.Parameters.Contains(FeedForwardSearchSpace.LabelSmoothing)));
        var parameters = best.Trial.Parameters;
        Assert.Equal(parameters.GetString(FeedForwardSearchSpace.InputTransform), best.Options.InputTransform.ToString());
        Assert.Equal(parameters.GetString(FeedForwardSearchSpace.NumericEmbedding), best.Options.NumericEmbedding.ToString());
        Assert.Equal(parameters.GetString(FeedForwardSearchSpace.EnsembleSize), best.Options.EnsembleSize?.ToString(CultureInfo.InvariantCulture));

        static (IReadOnlyList<Trial> Trials, (Trial Trial, FeedForwardTrainerOptionsBase Options) Best) Run<TOptions, TTransformer, TMetrics>(FeedForwardTuningResult<TOptions, TTransformer, TMetrics> result)
            where TOptions : FeedForwardTrainerOptionsBase
            where TTransformer : class, ITransformer
            where TMetrics : class => (result.Trials, (result.BestTrial, result.BestOptions));
    }

    [Fact]
    public void SparseRowsSearchTheDefaultSpaceWithoutTheOptionsASparseNetworkCannotTake()
    {
        var mlContext = new MLContext(seed: 1);
        var options = SmallOptions(new FeedForwardBinaryTrainer.Options { NumberOfEpochs = 2, DataLoading = DataLoading.Sparse }, maxTrials: 3);
        options.SearchSpace = null;

        var result = mlContext.BinaryClassification.TuneFeedForward(TuningData.Binary(mlContext, rows: 60), options);

        Assert.All(result.Trials, t => Assert.True(t.Succeeded, t.Failure));
        Assert.All(result.Trials, t => Assert.False(t.Parameters.Contains(FeedForwardSearchSpace.NumericEmbedding) || t.Parameters.Contains(FeedForwardSearchSpace.InputTransform) || t.Parameters.Contains(FeedForwardSearchSpace.EnsembleSize)));
        Assert.All(result.Trials, t => Assert.True(t.Parameters.Contains(FeedForwardSearchSpace.LabelSmoothing) && t.Parameters.Contains(FeedForwardSearchSpace.Units)));
    }

    [Fact]
    public void FailingConfigurationIsRecordedAndTheSearchGoesOn()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Regression(mlContext, rows: 60);
        var options = SmallOptions(new FeedForwardRegressionTrainer.Options(), maxTrials: 5);
        options.SearchAlgorithm = FeedForwardSearchAlgorithm.Random;
        options.SearchSpace = new SearchSpace()
            .AddFloat(FeedForwardSearchSpace.LearningRate, 1e-3, 3e-2, logScale: true)
            .AddChoice(FeedForwardSearchSpace.DropoutRate, "0.1", "1.5");

        var result = mlContext.Regression.TuneFeedForward(data, options);

        Assert.Equal(5, result.Trials.Count);
        var failed = result.Trials.Where(t => !t.Succeeded).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, t => Assert.Equal("1.5", t.Parameters.GetString(FeedForwardSearchSpace.DropoutRate)));
        Assert.All(failed, t => Assert.True(double.IsNaN(t.Value)));
        Assert.Contains(result.Trials, t => t.Succeeded);
        Assert.True(result.BestTrial.Succeeded);
        Assert.Equal(0.1f, result.BestOptions.DropoutRate);
    }

    [Fact]
    public void EveryTrialFailingIsAnErrorThatSaysWhy()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Regression(mlContext, rows: 40);
        var options = SmallOptions(new FeedForwardRegressionTrainer.Options(), maxTrials: 2);
        options.SearchSpace = new SearchSpace().AddChoice(FeedForwardSearchSpace.DropoutRate, "1.5", "2");

        var error = Assert.Throws<InvalidOperationException>(() => mlContext.Regression.TuneFeedForward(data, options));

        Assert.Contains("No trial", error.Message);
        Assert.Contains("DropoutRate", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SameSeedGivesTheSameTrialsAndAnotherSeedOtherOnes()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Multiclass(mlContext, rows: 60);
        FeedForwardTuningResult<FeedForwardMulticlassTrainer.Options, MulticlassPredictionTransformer<FeedForwardModelParameters>, MulticlassClassificationMetrics> Run(int seed)
        {
            var options = SmallOptions(new FeedForwardMulticlassTrainer.Options { NumberOfEpochs = 2 }, maxTrials: 3);
            options.Seed = seed;
            options.BaseOptions!.Seed = seed;
            return mlContext.MulticlassClassification.TuneFeedForward(data, options);
        }

        var first = Run(3);
        var second = Run(3);
        var other = Run(4);

        Assert.Equal(first.Trials.Select(t => t.Parameters), second.Trials.Select(t => t.Parameters));
        Assert.Equal(first.Trials.Select(t => t.Value), second.Trials.Select(t => t.Value));
        Assert.NotEqual(first.Trials.Select(t => t.Parameters), other.Trials.Select(t => t.Parameters));
    }

    [Fact]
    public void CrossValidationScoresOutOfFoldPredictionsAndLogsProgress()
    {
        var mlContext = new MLContext(seed: 1);
        var messages = new List<string>();
        mlContext.Log += (_, e) =>
        {
            if (e.Message.Contains("FeedForwardTuner", StringComparison.Ordinal))
            {
                lock (messages)
                {
                    messages.Add(e.Message);
                }
            }
        };
        var data = TuningData.Regression(mlContext, rows: 60);
        var options = SmallOptions(new FeedForwardRegressionTrainer.Options(), maxTrials: 2);
        options.NumberOfFolds = 3;
        options.Metric = FeedForwardTuningMetric.MeanAbsoluteError;

        var result = mlContext.Regression.TuneFeedForward(data, options);

        Assert.Equal(2, result.Trials.Count);
        Assert.Equal(result.Trials.Min(t => t.Value), result.BestTrial.Value);
        Assert.Equal(result.BestTrial.Value, result.BestMetrics.MeanAbsoluteError, 10);
        Assert.Contains(messages, m => m.Contains("3-fold cross-validation", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Trial 1/2: MeanAbsoluteError", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Trial 2/2", StringComparison.Ordinal));
    }

    [Fact]
    public void MulticlassCrossValidationEvaluatesTheKeyedOutOfFoldScores()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Multiclass(mlContext, rows: 60);
        var options = SmallOptions(new FeedForwardMulticlassTrainer.Options(), maxTrials: 2);
        options.NumberOfFolds = 2;
        options.Metric = FeedForwardTuningMetric.LogLoss;

        var result = mlContext.MulticlassClassification.TuneFeedForward(data, options);

        Assert.Equal(result.Trials.Min(t => t.Value), result.BestTrial.Value);
        Assert.Equal(result.BestTrial.Value, result.BestMetrics.LogLoss, 10);
        Assert.Equal(3, result.BestMetrics.PerClassLogLoss.Count);
        Assert.InRange(result.BestMetrics.MicroAccuracy, 0.5, 1);
    }

    [Fact]
    public void CancellationAndTheTimeBudgetStopTheSearchAndKeepTheBestSoFar()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Regression(mlContext, rows: 40);
        using var cancellation = new CancellationTokenSource();
        var cancelled = SmallOptions(new FeedForwardRegressionTrainer.Options(), maxTrials: 10);
        cancelled.CancellationToken = cancellation.Token;
        cancelled.Progress = t =>
        {
            if (t.Index == 1)
            {
                cancellation.Cancel();
            }
        };
        var timed = SmallOptions(new FeedForwardRegressionTrainer.Options(), maxTrials: 10);
        timed.MaxSeconds = 0.05;
        timed.Progress = _ => Thread.Sleep(100);

        var afterCancel = mlContext.Regression.TuneFeedForward(data, cancelled);
        var afterTime = mlContext.Regression.TuneFeedForward(data, timed);

        Assert.Equal(StopReason.Cancelled, afterCancel.StopReason);
        Assert.Equal(2, afterCancel.Trials.Count);
        Assert.Equal(afterCancel.Trials.Min(t => t.Value), afterCancel.BestTrial.Value);
        Assert.Equal(StopReason.TimeBudget, afterTime.StopReason);
        Assert.Single(afterTime.Trials);
        Assert.NotNull(afterTime.BestModel);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CancelExecutionOfTheMLContextStopsTheSearchInsideOrBetweenTrials(bool insideATrial)
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Regression(mlContext, rows: 40);
        var baseOptions = new FeedForwardRegressionTrainer.Options();
        var options = SmallOptions(baseOptions, maxTrials: 10);
        var epochs = 0;
        var trials = 0;
        baseOptions.Progress = new EpochCallback(_ =>
        {
            if (++epochs == 2 && insideATrial)
            {
                mlContext.CancelExecution();
            }
        });
        options.Progress = _ =>
        {
            if (++trials == 1 && !insideATrial)
            {
                mlContext.CancelExecution();
            }
        };

        Assert.ThrowsAny<OperationCanceledException>(() => mlContext.Regression.TuneFeedForward(data, options));

        // Inside: the first trial stops after its second epoch and is not reported. Between: no second trial starts.
        Assert.Equal(insideATrial ? 0 : 1, trials);
        if (insideATrial)
        {
            Assert.Equal(2, epochs);
        }
    }

    [Fact]
    public void BadOptionsAreRejectedBeforeAnyTraining()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Regression(mlContext, rows: 20);

        var metric = SmallOptions(new FeedForwardRegressionTrainer.Options(), maxTrials: 1);
        metric.Metric = FeedForwardTuningMetric.MicroAccuracy;
        Assert.Contains("RootMeanSquaredError", Assert.Throws<ArgumentException>(() => mlContext.Regression.TuneFeedForward(data, metric)).Message);

        var unknown = SmallOptions(new FeedForwardRegressionTrainer.Options(), maxTrials: 1);
        unknown.SearchSpace = new SearchSpace().AddFloat("learningrate", 1e-3, 1e-2);
        Assert.Contains("'learningrate'", Assert.Throws<ArgumentException>(() => mlContext.Regression.TuneFeedForward(data, unknown)).Message);

        var badChoice = SmallOptions(new FeedForwardRegressionTrainer.Options(), maxTrials: 1);
        badChoice.SearchSpace = new SearchSpace().AddChoice(FeedForwardSearchSpace.Activation, "ReLU", "Swish");
        Assert.Contains("Activation names", Assert.Throws<ArgumentException>(() => mlContext.Regression.TuneFeedForward(data, badChoice)).Message);

        var column = SmallOptions(new FeedForwardRegressionTrainer.Options(), maxTrials: 1);
        column.LabelColumnName = "Target";
        Assert.Contains("'Target'", Assert.Throws<ArgumentException>(() => mlContext.Regression.TuneFeedForward(data, column)).Message);

        var baseOptions = SmallOptions(new FeedForwardRegressionTrainer.Options { BatchSize = 0 }, maxTrials: 1);
        Assert.Contains("BatchSize", Assert.ThrowsAny<ArgumentException>(() => mlContext.Regression.TuneFeedForward(data, baseOptions)).Message);

        var trials = SmallOptions(new FeedForwardRegressionTrainer.Options(), maxTrials: 0);
        Assert.Contains("MaxTrials=0", Assert.Throws<ArgumentOutOfRangeException>(() => mlContext.Regression.TuneFeedForward(data, trials)).Message);
    }

    [Theory]
    [InlineData(TrialPruning.SuccessiveHalving)]
    [InlineData(TrialPruning.Median)]
    public void PrunedTrialsStopEarlyAreRecordedAsPrunedAndAreNeverTheBest(TrialPruning pruning)
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Multiclass(mlContext);
        var (options, epochsByTrial) = PruningOptions(pruning, epochs: 8, maxTrials: 10);

        var result = mlContext.MulticlassClassification.TuneFeedForward(data, options);

        Assert.Equal(10, result.Trials.Count);
        var pruned = result.Trials.Where(t => t.Pruned).ToList();
        Assert.NotEmpty(pruned);
        Assert.All(result.Trials, t => Assert.True(t.Succeeded, t.Failure));
        foreach (var trial in pruned)
        {
            // Training stopped in the epoch the pruner said stop: fewer epochs than configured, the last one seen by the
            // base options' Progress, and the trial's value is the best validation accuracy it reported.
            var epochs = epochsByTrial[trial.Index];
            Assert.InRange(trial.PrunedAtStep!.Value, 1, 7);
            Assert.Equal(trial.PrunedAtStep, epochs.Count);
            Assert.Equal(Enumerable.Range(1, epochs.Count), epochs.Select(e => e.Epoch));
            Assert.Equal(epochs.Max(e => e.ValidationMetric!.Value), trial.Value, 12);
        }

        Assert.All(result.Trials.Where(t => !t.Pruned), t => Assert.Equal(8, epochsByTrial[t.Index].Count));
        Assert.False(result.BestTrial.Pruned);
        Assert.Equal(result.Trials.Where(t => !t.Pruned).Max(t => t.Value), result.BestTrial.Value);
        Assert.Equal(result.BestTrial.Value, result.BestMetrics.MicroAccuracy);
    }

    [Fact]
    public void WithoutPruningEveryTrialTrainsEveryEpoch()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Multiclass(mlContext);
        var (options, epochsByTrial) = PruningOptions(TrialPruning.None, epochs: 8, maxTrials: 10);

        var result = mlContext.MulticlassClassification.TuneFeedForward(data, options);

        Assert.Equal(10, result.Trials.Count);
        Assert.All(result.Trials, t => Assert.False(t.Pruned));
        Assert.All(epochsByTrial, epochs => Assert.Equal(8, epochs.Count));
    }

    [Fact]
    public void WithCrossValidationOnlyTheFirstFoldReportsAndAPrunedTrialTrainsNoOtherFold()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Multiclass(mlContext);
        var (options, epochsByTrial) = PruningOptions(TrialPruning.SuccessiveHalving, epochs: 6, maxTrials: 8);
        options.NumberOfFolds = 2;

        var result = mlContext.MulticlassClassification.TuneFeedForward(data, options);

        var pruned = result.Trials.Where(t => t.Pruned).ToList();
        Assert.NotEmpty(pruned);
        Assert.All(pruned, t => Assert.Equal(t.PrunedAtStep, epochsByTrial[t.Index].Count));
        Assert.All(result.Trials.Where(t => !t.Pruned), t => Assert.Equal(12, epochsByTrial[t.Index].Count));
        Assert.False(result.BestTrial.Pruned);
    }

    [Fact]
    public void ConcurrentTrialsTrainSideBySideOnTheirShareOfTheThreads()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Multiclass(mlContext, rows: 60);
        var baseOptions = new FeedForwardMulticlassTrainer.Options { NumberOfEpochs = 3 };
        var options = SmallOptions(baseOptions, maxTrials: 6);
        baseOptions.NumberOfThreads = 4;
        options.MaxConcurrentTrials = 2;
        int training = 0, mostTraining = 0;
        var threads = new HashSet<int>();
        baseOptions.Progress = new EpochCallback(epoch =>
        {
            // Epoch 1 to 3 of a trial: that trial is training. A short wait per epoch makes the trials overlap even on a busy machine.
            if (epoch.Epoch == 1)
            {
                var now = Interlocked.Increment(ref training);
                lock (threads)
                {
                    mostTraining = Math.Max(mostTraining, now);
                    threads.Add(Environment.CurrentManagedThreadId);
                }
            }

            Thread.Sleep(20);
            if (epoch.Epoch == 3)
            {
                Interlocked.Decrement(ref training);
            }
        });
        var order = new List<int>();
        options.Progress = t => order.Add(t.Index);

        var result = mlContext.MulticlassClassification.TuneFeedForward(data, options);

        Assert.Equal(6, result.Trials.Count);
        Assert.Equal(Enumerable.Range(0, 6), order);
        Assert.All(result.Trials, t => Assert.True(t.Succeeded, t.Failure));
        Assert.Equal(2, mostTraining);
        Assert.True(threads.Count >= 2, $"{threads.Count} threads trained");
        Assert.Equal(4, result.BestOptions.NumberOfThreads);
        Assert.Equal(2, FeedForwardTuner<FeedForwardMulticlassTrainer.Options, MulticlassPredictionTransformer<FeedForwardModelParameters>, MulticlassClassificationMetrics>.CreateOptions(options, result.BestTrial.Parameters, 2).NumberOfThreads);
        Assert.Equal(1, FeedForwardTuner<FeedForwardMulticlassTrainer.Options, MulticlassPredictionTransformer<FeedForwardModelParameters>, MulticlassClassificationMetrics>.CreateOptions(options, null, 8).NumberOfThreads);
    }

    [Fact]
    public void ConcurrentTrialsGiveTheSameTrialsOnEveryRun()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Multiclass(mlContext, rows: 60);
        FeedForwardTuningResult<FeedForwardMulticlassTrainer.Options, MulticlassPredictionTransformer<FeedForwardModelParameters>, MulticlassClassificationMetrics> Run(int slowTrial)
        {
            var baseOptions = new FeedForwardMulticlassTrainer.Options { NumberOfEpochs = 3 };
            var options = SmallOptions(baseOptions, maxTrials: 5);
            options.MaxConcurrentTrials = 2;
            var started = 0;
            baseOptions.Progress = new EpochCallback(epoch =>
            {
                // Slow down one trial's training (the slowTrial-th to start), so the trials end in another order.
                if (epoch.Epoch == 1 && Interlocked.Increment(ref started) == slowTrial + 1)
                {
                    Thread.Sleep(100);
                }
            });
            return mlContext.MulticlassClassification.TuneFeedForward(data, options);
        }

        var first = Run(slowTrial: 0);
        var second = Run(slowTrial: 1);

        Assert.Equal(first.Trials.Select(t => t.Parameters), second.Trials.Select(t => t.Parameters));
        Assert.Equal(first.Trials.Select(t => t.Value), second.Trials.Select(t => t.Value));
        Assert.Equal(first.BestTrial.Index, second.BestTrial.Index);
    }

    [Fact]
    public void CancelExecutionStopsEveryConcurrentTrial()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TuningData.Regression(mlContext, rows: 40);
        var baseOptions = new FeedForwardRegressionTrainer.Options();
        var options = SmallOptions(baseOptions, maxTrials: 10);
        options.MaxConcurrentTrials = 2;
        var reported = 0;
        baseOptions.Progress = new EpochCallback(_ => mlContext.CancelExecution());
        options.Progress = _ => Interlocked.Increment(ref reported);

        Assert.ThrowsAny<OperationCanceledException>(() => mlContext.Regression.TuneFeedForward(data, options));

        // Both running trials stop in their first epoch, and none is reported.
        Assert.Equal(0, reported);
    }

    [Fact]
    public void PruningAndConcurrencyOptionsAreCheckedByName()
    {
        var mlContext = new MLContext(seed: 1);
        var binary = TuningData.Binary(mlContext, rows: 20);
        var regression = TuningData.Regression(mlContext, rows: 20);

        var concurrency = SmallOptions(new FeedForwardRegressionTrainer.Options(), maxTrials: 1);
        concurrency.MaxConcurrentTrials = 0;
        Assert.Contains("MaxConcurrentTrials=0", Assert.Throws<ArgumentOutOfRangeException>(() => mlContext.Regression.TuneFeedForward(regression, concurrency)).Message);

        var unknown = SmallOptions(new FeedForwardRegressionTrainer.Options(), maxTrials: 1);
        unknown.Pruning = (TrialPruning)7;
        Assert.Contains("Pruning=7", Assert.Throws<ArgumentOutOfRangeException>(() => mlContext.Regression.TuneFeedForward(regression, unknown)).Message);

        // The binary default, AreaUnderRocCurve, is not measured after every epoch; Accuracy is.
        var auc = SmallOptions(new FeedForwardBinaryTrainer.Options(), maxTrials: 1);
        auc.Pruning = TrialPruning.Median;
        var aucError = Assert.Throws<ArgumentException>(() => mlContext.BinaryClassification.TuneFeedForward(binary, auc)).Message;
        Assert.Contains("Pruning=Median, Metric=AreaUnderRocCurve", aucError);
        Assert.Contains("Accuracy", aucError);

        var noValidation = SmallOptions(new FeedForwardRegressionTrainer.Options { ValidationFraction = 0 }, maxTrials: 1);
        noValidation.Pruning = TrialPruning.SuccessiveHalving;
        Assert.Contains("ValidationFraction=0", Assert.Throws<ArgumentException>(() => mlContext.Regression.TuneFeedForward(regression, noValidation)).Message);
    }

    // Options that prune a random search of learning rates from very low (barely learns in a few epochs) to high, with
    // the base options' Progress collecting each trial's epochs (trials run one at a time, so the epochs seen before
    // a trial is reported are its own).
    private static (FeedForwardTuningOptions Options, List<List<TrainingEpoch>> EpochsByTrial) PruningOptions(TrialPruning pruning, int epochs, int maxTrials)
    {
        var baseOptions = new FeedForwardMulticlassTrainer.Options { ValidationFraction = 0.3f, BatchSize = 16 };
        var options = SmallOptions(baseOptions, maxTrials);
        baseOptions.NumberOfEpochs = epochs;
        options.SearchAlgorithm = FeedForwardSearchAlgorithm.Random;
        options.SearchSpace = new SearchSpace().AddFloat(FeedForwardSearchSpace.LearningRate, 1e-5, 0.3, logScale: true);
        options.Pruning = pruning;
        var current = new List<TrainingEpoch>();
        var epochsByTrial = new List<List<TrainingEpoch>>();
        baseOptions.Progress = new EpochCallback(current.Add);
        options.Progress = _ =>
        {
            epochsByTrial.Add([.. current]);
            current.Clear();
        };
        return (options, epochsByTrial);
    }

    // A fast search: one hidden layer of 12 units trained for 4 epochs, searching the learning rate, width and activation.
    private static FeedForwardTuningOptions SmallOptions(FeedForwardTrainerOptionsBase baseOptions, int maxTrials)
    {
        baseOptions.HiddenLayers = [12];
        baseOptions.NumberOfEpochs = Math.Min(baseOptions.NumberOfEpochs, 4);
        baseOptions.EarlyStoppingPatience = 0;
        baseOptions.NumberOfThreads = 1;
        return new FeedForwardTuningOptions
        {
            MaxTrials = maxTrials,
            Seed = 5,
            BaseOptions = baseOptions,
            SearchSpace = new SearchSpace()
                .AddFloat(FeedForwardSearchSpace.LearningRate, 1e-3, 3e-2, logScale: true)
                .AddInt(FeedForwardSearchSpace.Units, 8, 32, logScale: true)
                .AddChoice(FeedForwardSearchSpace.Activation, nameof(Activation.ReLU), nameof(Activation.GELU), nameof(Activation.Tanh)),
        };
    }

    private sealed class EpochCallback(Action<TrainingEpoch> handler) : IProgress<TrainingEpoch>
    {
        public void Report(TrainingEpoch value) => handler(value);
    }
}
