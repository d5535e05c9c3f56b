using MlNetDeep.Tuning;

namespace MlNetDeep.Tests.Tuning;

public class FeedForwardSearchSpaceTests
{
    [Fact]
    public void DefaultSpaceHasTheDocumentedRanges()
    {
        var space = FeedForwardSearchSpace.CreateDefault();

        Assert.Equal("learningRate: float [0.0001, 0.03] log", space[FeedForwardSearchSpace.LearningRate].ToString());
        Assert.Equal("layers: int [1, 4]", space[FeedForwardSearchSpace.Layers].ToString());
        Assert.Equal("units: int [32, 512] log", space[FeedForwardSearchSpace.Units].ToString());
        Assert.Equal(["ReLU", "GELU", "SELU", "SiLU", "Tanh", "LeakyReLU"], space[FeedForwardSearchSpace.Activation].Choices);
        Assert.Equal(["None", "BatchNorm", "LayerNorm"], space[FeedForwardSearchSpace.Normalization].Choices);
        Assert.Equal("dropoutRate: float [0.05, 0.5] when dropout ∈ {on}", space[FeedForwardSearchSpace.DropoutRate].ToString());
        Assert.Equal(["Auto", "HeNormal", "XavierUniform", "LeCunNormal"], space[FeedForwardSearchSpace.WeightInitializer].Choices);
        Assert.Equal("batchSize: int [32, 512] log", space[FeedForwardSearchSpace.BatchSize].ToString());
        Assert.Equal("l2Regularization: float [1E-06, 0.01] log", space[FeedForwardSearchSpace.L2Regularization].ToString());
        FeedForwardSearchSpace.Validate(space);
    }

    [Fact]
    public void ParametersAreWrittenIntoTheOptions()
    {
        var space = FeedForwardSearchSpace.CreateDefault();
        var options = new FeedForwardMulticlassTrainer.Options { DropoutRate = 0.3f };
        var parameters = space.CreateParameterSet(new Dictionary<string, object>
        {
            [FeedForwardSearchSpace.LearningRate] = 0.002,
            [FeedForwardSearchSpace.Layers] = 3,
            [FeedForwardSearchSpace.Units] = 40,
            [FeedForwardSearchSpace.Activation] = "SiLU",
            [FeedForwardSearchSpace.Normalization] = "BatchNorm",
            [FeedForwardSearchSpace.Dropout] = "off",
            [FeedForwardSearchSpace.WeightInitializer] = "LeCunNormal",
            [FeedForwardSearchSpace.BatchSize] = 96,
            [FeedForwardSearchSpace.L2Regularization] = 1e-4,
        });

        FeedForwardSearchSpace.Apply(parameters, options);

        Assert.Equal(0.002f, options.LearningRate);
        Assert.Equal([40, 40, 40], options.HiddenLayers);
        Assert.Equal(Activation.SiLU, options.Activation);
        Assert.Equal(Normalization.BatchNorm, options.Normalization);
        Assert.Equal(0f, options.DropoutRate);
        Assert.Equal(WeightInitializer.LeCunNormal, options.WeightInitializer);
        Assert.Equal(96, options.BatchSize);
        Assert.Equal(1e-4f, options.L2Regularization);
    }

    [Fact]
    public void InputSideEnsembleAndTrainingParametersAreWrittenIntoTheOptions()
    {
        var space = new SearchSpace()
            .AddChoice(FeedForwardSearchSpace.InputTransform, "Standardize", "RobustSmoothClip", "Quantile")
            .AddChoice(FeedForwardSearchSpace.NumericEmbedding, "None", "Periodic", "PiecewiseLinear")
            .AddInt(FeedForwardSearchSpace.EmbeddingDimension, 4, 32)
            .AddFloat(FeedForwardSearchSpace.EmbeddingFrequencyScale, 0.01, 10, logScale: true)
            .AddInt(FeedForwardSearchSpace.EmbeddingBins, 8, 64)
            .AddInt(FeedForwardSearchSpace.EnsembleSize, 1, 16)
            .AddFloat(FeedForwardSearchSpace.LabelSmoothing, 0, 0.2)
            .AddFloat(FeedForwardSearchSpace.Beta2, 0.9, 0.999);
        FeedForwardSearchSpace.Validate(space);
        var parameters = space.CreateParameterSet(new Dictionary<string, object>
        {
            [FeedForwardSearchSpace.InputTransform] = "RobustSmoothClip",
            [FeedForwardSearchSpace.NumericEmbedding] = "PiecewiseLinear",
            [FeedForwardSearchSpace.EmbeddingDimension] = 12,
            [FeedForwardSearchSpace.EmbeddingFrequencyScale] = 0.5,
            [FeedForwardSearchSpace.EmbeddingBins] = 24,
            [FeedForwardSearchSpace.EnsembleSize] = 8,
            [FeedForwardSearchSpace.LabelSmoothing] = 0.1,
            [FeedForwardSearchSpace.Beta2] = 0.95,
        });

        var multiclass = new FeedForwardMulticlassTrainer.Options();
        FeedForwardSearchSpace.Apply(parameters, multiclass);
        Assert.Equal(InputTransform.RobustSmoothClip, multiclass.InputTransform);
        Assert.Equal(NumericEmbedding.PiecewiseLinear, multiclass.NumericEmbedding);
        Assert.Equal(12, multiclass.EmbeddingDimension);
        Assert.Equal(0.5f, multiclass.EmbeddingFrequencyScale);
        Assert.Equal(24, multiclass.EmbeddingBins);
        Assert.Equal(8, multiclass.EnsembleSize);
        Assert.Equal(0.1f, multiclass.LabelSmoothing);
        Assert.Equal(0.95f, multiclass.Beta2);

        // Regression has no label smoothing; the rest still applies.
        var regression = new FeedForwardRegressionTrainer.Options();
        FeedForwardSearchSpace.Apply(parameters, regression);
        Assert.Equal(8, regression.EnsembleSize);
        Assert.Equal(0.95f, regression.Beta2);
    }

    [Fact]
    public void PartialStructureKeepsTheBaseDepthOrWidth()
    {
        var widthOnly = new SearchSpace().AddInt(FeedForwardSearchSpace.Units, 8, 64).AddChoice(FeedForwardSearchSpace.Dropout, "on");
        var options = new FeedForwardRegressionTrainer.Options { HiddenLayers = [100, 50], DropoutRate = 0.25f };
        FeedForwardSearchSpace.Apply(widthOnly.CreateParameterSet(new Dictionary<string, object> { ["units"] = 20, ["dropout"] = "on" }), options);
        Assert.Equal([20, 20], options.HiddenLayers);
        Assert.Equal(0.25f, options.DropoutRate);

        var depthOnly = new SearchSpace().AddInt(FeedForwardSearchSpace.Layers, 1, 4).AddChoice(FeedForwardSearchSpace.BatchSize, "64", "256");
        FeedForwardSearchSpace.Apply(depthOnly.CreateParameterSet(new Dictionary<string, object> { ["layers"] = 3, ["batchSize"] = "256" }), options);
        Assert.Equal([20, 20, 20], options.HiddenLayers);
        Assert.Equal(256, options.BatchSize);
    }

    [Fact]
    public void UnsupportedParametersAreNamedInTheError()
    {
        var wrongKind = new SearchSpace().AddFloat(FeedForwardSearchSpace.Normalization, 0, 1);
        var error = Assert.Throws<ArgumentException>(() => FeedForwardSearchSpace.Validate(wrongKind));
        Assert.Contains("normalization: float [0, 1]", error.Message);
        Assert.Contains("Normalization names", error.Message);

        var notNumbers = new SearchSpace().AddChoice(FeedForwardSearchSpace.BatchSize, "64", "big");
        Assert.Contains("choice of numbers", Assert.Throws<ArgumentException>(() => FeedForwardSearchSpace.Validate(notNumbers)).Message);
    }
}
