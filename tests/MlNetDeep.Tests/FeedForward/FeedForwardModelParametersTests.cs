using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Tests.Internal;

namespace MlNetDeep.Tests.FeedForward;

public class FeedForwardModelParametersTests
{
    [Fact]
    public void SameSeedGivesIdenticalParametersAndAnotherSeedDifferentOnes()
    {
        var first = Train(seed: 11);
        var second = Train(seed: 11);
        var other = Train(seed: 12);

        var a = first.GetParameters();
        var b = second.GetParameters();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, values) in a)
        {
            Assert.Equal(values, b[name]);
        }

        Assert.NotEqual(a["layers.0.weight"], other.GetParameters()["layers.0.weight"]);
    }

    [Fact]
    public void WithoutASeedOptionTheMLContextSeedDecides()
    {
        FeedForwardModelParameters TrainWithContextSeed(int contextSeed)
        {
            var mlContext = new MLContext(seed: contextSeed);
            var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), "Target");
            options.Seed = null;
            options.NumberOfEpochs = 3;
            return mlContext.Regression.Trainers.FeedForward(options).Fit(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(64, seed: 1))).Model;
        }

        Assert.Equal(TrainWithContextSeed(5).GetParameters()["layers.0.weight"], TrainWithContextSeed(5).GetParameters()["layers.0.weight"]);
        Assert.NotEqual(TrainWithContextSeed(5).GetParameters()["layers.0.weight"], TrainWithContextSeed(6).GetParameters()["layers.0.weight"]);
    }

    [Fact]
    public void GetParametersUsesStateDictionaryNamesAndShapes()
    {
        var model = Train(seed: 1);
        var parameters = model.GetParameters();

        Assert.True(16 * FeedForwardScenario.FeatureCount == parameters["layers.0.weight"].Length, string.Join(", ", parameters.Keys));
        Assert.Equal(16, parameters["layers.0.gamma"].Length);
        Assert.Equal(16, parameters["layers.0.beta"].Length);
        Assert.Equal(FeedForwardScenario.FeatureCount, parameters["input.mean"].Length);
        var outputWeights = parameters.Keys.Where(k => k.EndsWith(".weight", StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).Last();
        Assert.Equal(3 * 16, parameters[outputWeights].Length);

        // The arrays are copies: changing one does not change the model.
        parameters["layers.0.weight"][0] += 1f;
        Assert.NotEqual(parameters["layers.0.weight"][0], model.GetParameters()["layers.0.weight"][0]);
    }

    [Fact]
    public void BatchNormRunningStatisticsArePresentPersistedAndUsedForScoring()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(200, seed: 1));
        var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options { EnsembleSize = 1 }, "Target");
        var transformer = mlContext.Regression.Trainers.FeedForward(options).Fit(data);
        var runningMean = transformer.Model.GetParameters()["layers.0.running_mean"];
        var runningVar = transformer.Model.GetParameters()["layers.0.running_var"];
        Assert.Equal(16, runningMean.Length);
        Assert.Contains(runningMean, m => Math.Abs(m) > 1e-3);
        Assert.Contains(runningVar, v => Math.Abs(v - 1) > 1e-3);

        using var folder = new TemporaryDirectory();
        var path = folder.File("batchnorm.zip");
        mlContext.Model.Save(transformer, data.Schema, path);
        var loaded = Assert.IsType<RegressionPredictionTransformer<FeedForwardModelParameters>>(mlContext.Model.Load(path, out _));
        Assert.Equal(runningMean, loaded.Model.GetParameters()["layers.0.running_mean"]);
        Assert.Equal(runningVar, loaded.Model.GetParameters()["layers.0.running_var"]);

        var test = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows());
        var before = loaded.Transform(test).GetColumn<float>("Score").ToArray();
        var runningMeanView = loaded.Model.Network.BufferTensors.Single(t => t.Name == "layers.0.running_mean").View.Span;
        for (var i = 0; i < runningMeanView.Length; i++)
        {
            runningMeanView[i] += 0.5f;
        }

        var after = loaded.Transform(test).GetColumn<float>("Score").ToArray();
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void PerLayerSettingsOverrideTheGlobalOnesAndPReLUSlopesAreParameters()
    {
        var mlContext = new MLContext(seed: 1);
        var options = FeedForwardScenario.Small(new FeedForwardBinaryTrainer.Options { EnsembleSize = 1 }, "IsPositive");
        options.NumberOfEpochs = 3;
        options.Layers =
        [
            new FeedForwardLayerOptions(12) { Activation = Activation.PReLU, Normalization = Normalization.LayerNorm },
            new FeedForwardLayerOptions(6) { DropoutRate = 0.25f },
        ];
        var model = mlContext.BinaryClassification.Trainers.FeedForward(options).Fit(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(64, seed: 1))).Model;

        Assert.Equal([12, 6], model.HiddenLayers.Select(l => l.Units));
        Assert.Equal([Activation.PReLU, Activation.ReLU], model.HiddenLayers.Select(l => l.Activation!.Value));
        Assert.Equal([Normalization.LayerNorm, Normalization.BatchNorm], model.HiddenLayers.Select(l => l.Normalization!.Value));
        Assert.Equal([0.1f, 0.25f], model.HiddenLayers.Select(l => l.DropoutRate!.Value));
        var parameters = model.GetParameters();
        Assert.Contains(parameters.Keys, k => k.EndsWith(".alpha", StringComparison.Ordinal) && parameters[k].Length == 12);
        Assert.DoesNotContain("layers.0.running_mean", parameters.Keys);
        Assert.Contains("ReLU", model.ToString());
    }

    [Fact]
    public void TrainingHistoryRecordsTheScheduleAndSurvivesSaveAndLoad()
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(64, seed: 1));
        var options = FeedForwardScenario.Small(new FeedForwardMulticlassTrainer.Options(), "Label");
        options.NumberOfEpochs = 12;
        options.LearningRateSchedule = LearningRateSchedule.StepDecay;
        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label", "Class").Append(mlContext.MulticlassClassification.Trainers.FeedForward(options));
        var model = pipeline.Fit(data);
        var history = model.LastTransformer.Model.TrainingHistory;

        Assert.Equal(Enumerable.Range(1, 12), history.Select(e => e.Epoch));
        Assert.Equal(0.01, history[9].LearningRate, 6);
        Assert.Equal(0.005, history[10].LearningRate, 6);
        Assert.All(history, e => Assert.True(e.ValidationLoss is > 0 && e.ValidationMetric is >= 0 and <= 1 && e.TrainingLoss > 0));
        Assert.True(history[^1].ElapsedSeconds >= history[0].ElapsedSeconds);

        using var folder = new TemporaryDirectory();
        var path = folder.File("history.zip");
        mlContext.Model.Save(model, data.Schema, path);
        var loaded = ((IEnumerable<ITransformer>)mlContext.Model.Load(path, out _)).OfType<MulticlassPredictionTransformer<FeedForwardModelParameters>>().Single().Model;
        Assert.Equal(history.Select(e => e.ToString()), loaded.TrainingHistory.Select(e => e.ToString()));
        Assert.Equal(model.LastTransformer.Model.BestEpoch, loaded.BestEpoch);
        Assert.Equal(FeedForwardScenario.ClassNames, loaded.ClassNames);
    }

    [Theory]
    [InlineData(LearningRateSchedule.ExponentialDecay)]
    [InlineData(LearningRateSchedule.CosineAnnealing)]
    [InlineData(LearningRateSchedule.ReduceOnPlateau)]
    [InlineData(LearningRateSchedule.FlatCosine)]
    public void DecayingSchedulesNeverRaiseTheRate(LearningRateSchedule schedule)
    {
        var mlContext = new MLContext(seed: 1);
        var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), "Target");
        options.NumberOfEpochs = 8;
        options.LearningRateSchedule = schedule;
        var history = mlContext.Regression.Trainers.FeedForward(options).Fit(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(64, seed: 1))).Model.TrainingHistory;

        Assert.Equal(0.01, history[0].LearningRate, 6);
        for (var i = 1; i < history.Count; i++)
        {
            Assert.True(history[i].LearningRate <= history[i - 1].LearningRate, $"{schedule}: epoch {i + 1} raised the rate.");
        }

        if (schedule != LearningRateSchedule.ReduceOnPlateau)
        {
            Assert.True(history[^1].LearningRate < history[0].LearningRate);
        }
    }

    [Fact]
    public void ExampleWeightsAreHonoured()
    {
        var mlContext = new MLContext(seed: 1);
        var rows = FeedForwardScenario.Rows(300, seed: 1);
        for (var i = 0; i < rows.Length; i += 2)
        {
            // Every other row gets the mirrored target (same range, opposite trend) and no weight.
            rows[i].Target = 371f - rows[i].Target;
            rows[i].Weight = 0f;
        }

        var data = mlContext.Data.LoadFromEnumerable(rows);
        var test = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows());
        double Rmse(string? weightColumn)
        {
            var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), "Target");
            options.ExampleWeightColumnName = weightColumn;
            var scored = mlContext.Regression.Trainers.FeedForward(options).Fit(data).Transform(test);
            return mlContext.Regression.Evaluate(scored, "Target").RootMeanSquaredError;
        }

        var weighted = Rmse("Weight");
        var unweighted = Rmse(null);
        Assert.True(weighted < 60, $"Weighted RMSE {weighted}");
        Assert.True(unweighted > 1.5 * weighted, $"Unweighted RMSE {unweighted}, weighted {weighted}");
    }

    [Fact]
    public void ProgressAndSkippedRowsGoToTheMLContextLog()
    {
        var mlContext = new MLContext(seed: 1);
        var messages = new List<string>();
        mlContext.Log += (_, e) =>
        {
            lock (messages)
            {
                messages.Add(e.Message);
            }
        };
        var rows = FeedForwardScenario.Rows(50, seed: 1);
        rows[2].Target = float.NaN;
        rows[9].Target = float.NaN;
        var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), "Target");
        options.NumberOfEpochs = 2;
        var model = mlContext.Regression.Trainers.FeedForward(options).Fit(mlContext.Data.LoadFromEnumerable(rows));

        Assert.Contains(messages, m => m.Contains("Skipped 2 rows with a missing label in column 'Target'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Epoch 1: training loss", StringComparison.Ordinal) && m.Contains("validation RMSE", StringComparison.Ordinal) && m.Contains(" s", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Epoch 2:", StringComparison.Ordinal));
        Assert.Equal(2, model.Model.TrainingHistory.Count);
    }

    private static FeedForwardModelParameters Train(int seed)
    {
        var mlContext = new MLContext(seed: 1);
        var options = FeedForwardScenario.Small(new FeedForwardMulticlassTrainer.Options(), "Label");
        options.Seed = seed;
        options.NumberOfEpochs = 5;
        options.EnsembleSize = 1;
        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label", "Class").Append(mlContext.MulticlassClassification.Trainers.FeedForward(options));
        return pipeline.Fit(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(100, seed: 1))).LastTransformer.Model;
    }
}
