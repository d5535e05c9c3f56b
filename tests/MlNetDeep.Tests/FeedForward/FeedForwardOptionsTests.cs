using Microsoft.ML;
using MlNetDeep.Training;

namespace MlNetDeep.Tests.FeedForward;

public class FeedForwardOptionsTests
{
    public static TheoryData<string, Action<FeedForwardTrainerOptionsBase>, string> BadOptions => new()
    {
        { "HiddenLayers", o => o.HiddenLayers = [64, 0], "HiddenLayers[1]=0" },
        { "HiddenLayers", o => o.HiddenLayers = null!, "HiddenLayers=null" },
        { "Layers", o => o.Layers = [new FeedForwardLayerOptions(0)], "Layers[0].Units=0" },
        { "Layers", o => o.Layers = [new FeedForwardLayerOptions(8) { DropoutRate = 1f }], "Layers[0].DropoutRate=1" },
        { "Layers", o => o.Layers = [new FeedForwardLayerOptions(8), null!], "Layers[1] is null" },
        { "Layers", o => o.Layers = [new FeedForwardLayerOptions(8) { Activation = (Activation)(-1) }], "Layers[0].Activation=-1" },
        { "DropoutRate", o => o.DropoutRate = 1f, "DropoutRate=1" },
        { "DropoutRate", o => o.DropoutRate = -0.1f, "DropoutRate=-0.1" },
        { "InputDropoutRate", o => o.InputDropoutRate = 1.5f, "InputDropoutRate=1.5" },
        { "LearningRate", o => o.LearningRate = 0f, "LearningRate=0" },
        { "LearningRate", o => o.LearningRate = -1e-3f, "LearningRate=-0.001" },
        { "LearningRate", o => o.LearningRate = float.NaN, "LearningRate=NaN" },
        { "BatchSize", o => o.BatchSize = 0, "BatchSize=0" },
        { "BatchSize", o => o.BatchSize = -5, "BatchSize=-5" },
        { "ValidationFraction", o => o.ValidationFraction = 1f, "ValidationFraction=1" },
        { "ValidationFraction", o => o.ValidationFraction = -0.2f, "ValidationFraction=-0.2" },
        { "NumberOfEpochs", o => o.NumberOfEpochs = 0, "NumberOfEpochs=0" },
        { "EarlyStoppingPatience", o => o.EarlyStoppingPatience = -1, "EarlyStoppingPatience=-1" },
        { "Momentum", o => o.Momentum = 1f, "Momentum=1" },
        { "Beta1", o => o.Beta1 = 1f, "Beta1=1" },
        { "Beta1", o => o.Beta1 = -0.1f, "Beta1=-0.1" },
        { "Beta2", o => o.Beta2 = 1f, "Beta2=1" },
        { "Beta2", o => o.Beta2 = float.NaN, "Beta2=NaN" },
        { "L2Regularization", o => o.L2Regularization = -1f, "L2Regularization=-1" },
        { "GradientClipNorm", o => o.GradientClipNorm = -1f, "GradientClipNorm=-1" },
        { "NumberOfThreads", o => o.NumberOfThreads = 0, "NumberOfThreads=0" },
        { "Activation", o => o.Activation = (Activation)99, "Activation=99" },
        { "LabelColumnName", o => o.LabelColumnName = "", "LabelColumnName=''" },
        { "WeightInitializerValue", o => o.WeightInitializerValue = float.PositiveInfinity, "WeightInitializerValue=Infinity" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void EachTrainerRejectsABadOptionNamingItAndTheValue(string option, Action<FeedForwardTrainerOptionsBase> spoil, string received)
    {
        var mlContext = new MLContext(seed: 1);
        var multiclass = new FeedForwardMulticlassTrainer.Options();
        var binary = new FeedForwardBinaryTrainer.Options();
        var regression = new FeedForwardRegressionTrainer.Options();
        spoil(multiclass);
        spoil(binary);
        spoil(regression);

        foreach (var create in new Action[]
        {
            () => mlContext.MulticlassClassification.Trainers.FeedForward(multiclass),
            () => mlContext.BinaryClassification.Trainers.FeedForward(binary),
            () => mlContext.Regression.Trainers.FeedForward(regression),
        })
        {
            var error = Assert.Throws<ArgumentException>(create);
            Assert.Equal(option, error.ParamName);
            Assert.Contains(received, error.Message);
        }
    }

    [Fact]
    public void RegressionRejectsANonPositiveHuberDelta()
    {
        var options = new FeedForwardRegressionTrainer.Options { Loss = RegressionLoss.Huber, HuberDelta = 0f };
        var error = Assert.Throws<ArgumentException>(() => new MLContext().Regression.Trainers.FeedForward(options));
        Assert.Equal("HuberDelta", error.ParamName);
        Assert.Contains("HuberDelta=0", error.Message);
    }

    [Theory]
    [InlineData(1f, "LabelSmoothing=1")]
    [InlineData(-0.1f, "LabelSmoothing=-0.1")]
    [InlineData(float.NaN, "LabelSmoothing=NaN")]
    public void ClassifiersRejectLabelSmoothingOutsideTheUnitInterval(float value, string received)
    {
        var mlContext = new MLContext();
        foreach (var create in new Action[]
        {
            () => mlContext.MulticlassClassification.Trainers.FeedForward(new FeedForwardMulticlassTrainer.Options { LabelSmoothing = value }),
            () => mlContext.BinaryClassification.Trainers.FeedForward(new FeedForwardBinaryTrainer.Options { LabelSmoothing = value }),
        })
        {
            var error = Assert.Throws<ArgumentException>(create);
            Assert.Equal("LabelSmoothing", error.ParamName);
            Assert.Contains("LabelSmoothing must be in [0, 1).", error.Message);
            Assert.Contains(received, error.Message);
        }
    }

    [Fact]
    public void TheAutomaticEmbeddingIsPeriodicForDenseRowsInMemoryOfAtMost512FeaturesAndNoneOtherwise()
    {
        var automatic = new FeedForwardSettings(new FeedForwardMulticlassTrainer.Options());
        var max = FeedForwardTrainerOptionsBase.Defaults.AutomaticEmbeddingMaxFeatures;

        Assert.Null(new FeedForwardRegressionTrainer.Options().NumericEmbedding);
        Assert.Equal(512, max);
        Assert.Equal(NumericEmbedding.Periodic, automatic.CreateSpec(1, TaskKind.Multiclass, 3, rowCount: 100).NumericEmbedding);
        Assert.Equal(NumericEmbedding.Periodic, automatic.CreateSpec(max, TaskKind.Multiclass, 3, rowCount: 1_000_000).NumericEmbedding);
        Assert.Equal(NumericEmbedding.None, automatic.CreateSpec(max + 1, TaskKind.Multiclass, 3, rowCount: 100).NumericEmbedding);
        Assert.Equal(NumericEmbedding.None, automatic.CreateSpec(4, TaskKind.Multiclass, 3, sparseRows: true, rowCount: 100).NumericEmbedding);
        Assert.Equal(NumericEmbedding.None, automatic.CreateSpec(4, TaskKind.Multiclass, 3, rowCount: null).NumericEmbedding);

        // A value the user sets is kept, whatever the width.
        var none = new FeedForwardSettings(new FeedForwardBinaryTrainer.Options { NumericEmbedding = NumericEmbedding.None });
        var piecewise = new FeedForwardSettings(new FeedForwardBinaryTrainer.Options { NumericEmbedding = NumericEmbedding.PiecewiseLinear });
        Assert.Equal(NumericEmbedding.None, none.CreateSpec(4, TaskKind.Binary, 0, rowCount: 100).NumericEmbedding);
        Assert.Equal(NumericEmbedding.PiecewiseLinear, piecewise.CreateSpec(max + 1, TaskKind.Binary, 0).NumericEmbedding);
    }

    [Fact]
    public void LabelSmoothingReachesTheEngineForClassificationOnly()
    {
        var multiclass = new FeedForwardSettings(new FeedForwardMulticlassTrainer.Options { LabelSmoothing = 0.25f }).CreateTrainingSettings(seed: 1, threads: 1);
        var binary = new FeedForwardSettings(new FeedForwardBinaryTrainer.Options { LabelSmoothing = MathF.BitDecrement(1f) }).CreateTrainingSettings(seed: 1, threads: 1);
        var regression = new FeedForwardSettings(new FeedForwardRegressionTrainer.Options()).CreateTrainingSettings(seed: 1, threads: 1);

        Assert.Equal(0.25f, multiclass.LabelSmoothing);
        Assert.Equal(MathF.BitDecrement(1f), binary.LabelSmoothing);
        Assert.Equal(0f, regression.LabelSmoothing);
        binary.Validate();
        Assert.Equal(FeedForwardTrainerOptionsBase.Defaults.LabelSmoothing, new FeedForwardMulticlassTrainer.Options().LabelSmoothing);
        Assert.Equal(0.1f, new FeedForwardBinaryTrainer.Options().LabelSmoothing);
        // The trainers smooth by default; the engine trains on the labels it is given.
        Assert.Equal(0f, new TrainingSettings().LabelSmoothing);
    }

    [Fact]
    public void SimpleOverloadRejectsBadArgumentsByOptionName()
    {
        var mlContext = new MLContext();
        Assert.Contains("HiddenLayers[0]=0", Assert.Throws<ArgumentException>(() => mlContext.Regression.Trainers.FeedForward(hiddenLayers: [0])).Message);
        Assert.Contains("LearningRate=-1", Assert.Throws<ArgumentException>(() => mlContext.BinaryClassification.Trainers.FeedForward(learningRate: -1f)).Message);
        Assert.Contains("NumberOfEpochs=0", Assert.Throws<ArgumentException>(() => mlContext.MulticlassClassification.Trainers.FeedForward(numberOfEpochs: 0)).Message);
    }

    [Fact]
    public void OptionDefaultsComeFromTheDefaultsClass()
    {
        var options = new FeedForwardMulticlassTrainer.Options();
        Assert.Equal(FeedForwardTrainerOptionsBase.Defaults.HiddenLayers, options.HiddenLayers);
        Assert.Equal([256, 128], options.HiddenLayers);
        Assert.Equal(Activation.ReLU, options.Activation);
        Assert.Equal(Normalization.BatchNorm, options.Normalization);
        Assert.Equal(0.1f, options.DropoutRate);
        Assert.Equal(Optimizer.Adam, options.Optimizer);
        Assert.Equal(3e-3f, options.LearningRate);
        Assert.Equal((0.9f, 0.999f), (options.Beta1, options.Beta2));
        Assert.Null(options.BatchSize);
        Assert.Equal(100, options.NumberOfEpochs);
        Assert.Equal(10, options.EarlyStoppingPatience);
        Assert.Equal(0.1f, options.ValidationFraction);
        Assert.Equal(LearningRateSchedule.ReduceOnPlateau, options.LearningRateSchedule);
        Assert.Null(options.Seed);
        Assert.Null(options.NumberOfThreads);
        Assert.Null(options.Layers);
        Assert.Equal("Label", options.LabelColumnName);
        Assert.Equal("Features", options.FeatureColumnName);
        Assert.Null(options.ExampleWeightColumnName);
        Assert.Equal(RegressionLoss.SquaredError, new FeedForwardRegressionTrainer.Options().Loss);

        // Each options object has its own array: changing one does not change the defaults.
        options.HiddenLayers[0] = 3;
        Assert.Equal(256, new FeedForwardBinaryTrainer.Options().HiddenLayers[0]);
    }

    [Fact]
    public void TheEngineStartsFromTheOptionDefaults()
    {
        var options = new FeedForwardMulticlassTrainer.Options();
        var engine = new TrainingSettings();

        Assert.Equal(options.Optimizer, engine.Optimizer);
        Assert.Equal(options.LearningRate, engine.LearningRate);
        Assert.Equal(options.Momentum, engine.Momentum);
        Assert.Equal(options.Nesterov, engine.Nesterov);
        Assert.Equal(options.Beta1, engine.Beta1);
        Assert.Equal(options.Beta2, engine.Beta2);
        Assert.Equal(options.L2Regularization, engine.L2Regularization);
        Assert.Equal(options.BatchSize, engine.BatchSize);
        Assert.Equal(options.NumberOfEpochs, engine.NumberOfEpochs);
        Assert.Equal(options.EarlyStoppingPatience, engine.EarlyStoppingPatience);
        Assert.Equal(options.ValidationFraction, engine.ValidationFraction);
        Assert.Equal(options.GradientClipNorm, engine.GradientClipNorm);
        Assert.Equal(options.UsePopulationStatistics, engine.UsePopulationStatistics);
    }

    [Fact]
    public void EveryOptionIsMappedOntoTheEngineAndWhatTheOptionsAcceptTheEngineAccepts()
    {
        // Each value at the edge of what the options accept.
        var options = new FeedForwardRegressionTrainer.Options
        {
            Layers = [new FeedForwardLayerOptions(1) { Activation = Activation.Tanh, DropoutRate = 0.999f }, new FeedForwardLayerOptions(3)],
            Normalization = Normalization.LayerNorm,
            DropoutRate = 0f,
            InputDropoutRate = 0.999f,
            WeightInitializer = WeightInitializer.RandomNormal,
            WeightInitializerValue = 0f,
            Optimizer = Optimizer.SGD,
            LearningRate = float.Epsilon,
            Momentum = 0f,
            Nesterov = true,
            Beta1 = 0f,
            Beta2 = MathF.BitDecrement(1f),
            L2Regularization = 0f,
            BatchSize = 1,
            NumberOfEpochs = 1,
            EarlyStoppingPatience = 0,
            ValidationFraction = 0f,
            LearningRateSchedule = LearningRateSchedule.CosineAnnealing,
            GradientClipNorm = 0f,
            UsePopulationStatistics = true,
            Loss = RegressionLoss.Huber,
            HuberDelta = float.Epsilon,
            Diagnostics = true,
            NumberOfThreads = 1,
        };

        var settings = new FeedForwardSettings(options);
        var spec = settings.CreateSpec(4, TaskKind.Regression, 0);
        var training = settings.CreateTrainingSettings(seed: 3, threads: 1);
        spec.Validate();
        training.Validate();

        Assert.Equal(
            [new HiddenLayerSpec(1, Activation.Tanh, Normalization.LayerNorm, 0.999f), new HiddenLayerSpec(3, Activation.ReLU, Normalization.LayerNorm, 0f)],
            spec.HiddenLayers);
        Assert.Equal((0.999f, WeightInitializer.RandomNormal, (float?)0f), (spec.InputDropoutRate, spec.WeightInitializer, spec.WeightInitializerValue));
        Assert.Equal(
            (Optimizer.SGD, float.Epsilon, 0f, true, 0f, (int?)1, 1, 0, 0f, 0f, float.Epsilon, true, 3L, 1),
            (training.Optimizer, training.LearningRate, training.Momentum, training.Nesterov, training.L2Regularization, training.BatchSize, training.NumberOfEpochs,
                training.EarlyStoppingPatience, training.ValidationFraction, training.GradientClipNorm, training.HuberDelta, training.UsePopulationStatistics, training.Seed, training.Threads));
        Assert.Equal((0f, MathF.BitDecrement(1f)), (training.Beta1, training.Beta2));
        Assert.IsType<CosineAnnealingSchedule>(training.Schedule);
        Assert.NotNull(training.Diagnostics);

        // Schedulers keep state, so every training gets its own.
        Assert.NotSame(training.Schedule, settings.CreateTrainingSettings(seed: 3, threads: 1).Schedule);
    }

    [Fact]
    public void FlatCosineIsBuiltWithTheEpochsAndTheDefaultFlatFraction()
    {
        var options = new FeedForwardBinaryTrainer.Options { LearningRateSchedule = LearningRateSchedule.FlatCosine, NumberOfEpochs = 40, LearningRate = 0.02f };

        var schedule = Assert.IsType<FlatCosineSchedule>(new FeedForwardSettings(options).CreateTrainingSettings(seed: 1, threads: 1).Schedule);

        Assert.Equal((40, FeedForwardTrainerOptionsBase.Defaults.FlatCosineFlatFraction, (double)0.02f), (schedule.TotalEpochs, schedule.FlatFraction, schedule.BaseLearningRate));
        Assert.Equal(0.5, FeedForwardTrainerOptionsBase.Defaults.FlatCosineFlatFraction);
    }

    [Fact]
    public void TheTrainerCopiesItsOptions()
    {
        var mlContext = new MLContext(seed: 1);
        var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), nameof(FeedForwardScenario.Row.Target));
        options.NumberOfEpochs = 2;
        var trainer = mlContext.Regression.Trainers.FeedForward(options);
        options.HiddenLayers = [5, 5, 5];
        options.NumberOfEpochs = 50;

        var model = trainer.Fit(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(64, seed: 2))).Model;

        Assert.Equal([16], model.HiddenLayers.Select(l => l.Units));
        Assert.Equal(2, model.TrainingHistory.Count);
    }
}
