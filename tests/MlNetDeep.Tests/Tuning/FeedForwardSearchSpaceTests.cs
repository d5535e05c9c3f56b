using System.Globalization;
using MlNetDeep.Training;
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
        Assert.Equal("inputTransform: choice {Standardize, RobustSmoothClip, Quantile}", space[FeedForwardSearchSpace.InputTransform].ToString());
        Assert.Equal("numericEmbedding: choice {None, Periodic, PeriodicLite, PiecewiseLinear}", space[FeedForwardSearchSpace.NumericEmbedding].ToString());
        Assert.Equal("embeddingFrequencyScale: float [0.01, 10] log when numericEmbedding ∈ {Periodic, PeriodicLite}", space[FeedForwardSearchSpace.EmbeddingFrequencyScale].ToString());
        Assert.Equal("embeddingBins: int [8, 64] log when numericEmbedding ∈ {PiecewiseLinear}", space[FeedForwardSearchSpace.EmbeddingBins].ToString());
        Assert.Equal("ensembleSize: choice {1, 4}", space[FeedForwardSearchSpace.EnsembleSize].ToString());
        Assert.Equal(15, space.Count);
        Assert.Throws<KeyNotFoundException>(() => space[FeedForwardSearchSpace.LabelSmoothing]);
        Assert.Throws<KeyNotFoundException>(() => space[FeedForwardSearchSpace.EmbeddingDimension]);
        FeedForwardSearchSpace.Validate(space);
    }

    [Theory]
    [InlineData(TaskKind.Multiclass)]
    [InlineData(TaskKind.Binary)]
    [InlineData(TaskKind.Regression)]
    public void EachTaskSearchesTheSharedSpaceAndClassificationAlsoItsLabelSmoothing(TaskKind task)
    {
        var space = FeedForwardSearchSpace.CreateDefault(task);
        var shared = FeedForwardSearchSpace.CreateDefault();

        FeedForwardSearchSpace.Validate(space);
        if (task == TaskKind.Regression)
        {
            Assert.Equal(shared.ToString(), space.ToString());
        }
        else
        {
            Assert.Equal(shared.Parameters.Select(p => p.ToString()).Append("labelSmoothing: float [0, 0.2]"), space.Parameters.Select(p => p.ToString()));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => FeedForwardSearchSpace.CreateDefault((TaskKind)9));
    }

    [Fact]
    public void InactiveConditionalParametersAreNeverWrittenIntoTheOptions()
    {
        var space = FeedForwardSearchSpace.CreateDefault(TaskKind.Multiclass);
        var seen = new HashSet<string>();
        foreach (var parameters in new RandomSearchOptimizer(space, 3).Propose(200))
        {
            // Base values no trial draws, so a written value shows.
            var options = new FeedForwardMulticlassTrainer.Options { EmbeddingBins = 5, EmbeddingFrequencyScale = 123f, EmbeddingDimension = 3, EmbeddingFrequencies = 7 };
            FeedForwardSearchSpace.Apply(parameters, options);

            var embedding = parameters.GetString(FeedForwardSearchSpace.NumericEmbedding);
            seen.Add(embedding);
            Assert.Equal(embedding, options.NumericEmbedding.ToString());
            var periodic = embedding is nameof(NumericEmbedding.Periodic) or nameof(NumericEmbedding.PeriodicLite);
            var piecewise = embedding == nameof(NumericEmbedding.PiecewiseLinear);
            Assert.Equal(periodic, parameters.Contains(FeedForwardSearchSpace.EmbeddingFrequencyScale));
            Assert.Equal(piecewise, parameters.Contains(FeedForwardSearchSpace.EmbeddingBins));
            Assert.Equal(periodic ? (float)parameters.GetDouble(FeedForwardSearchSpace.EmbeddingFrequencyScale) : 123f, options.EmbeddingFrequencyScale);
            Assert.Equal(piecewise ? parameters.GetInt(FeedForwardSearchSpace.EmbeddingBins) : 5, options.EmbeddingBins);
            Assert.Equal(3, options.EmbeddingDimension);
            Assert.Equal(7, options.EmbeddingFrequencies);

            Assert.Equal(int.Parse(parameters.GetString(FeedForwardSearchSpace.EnsembleSize), CultureInfo.InvariantCulture), options.EnsembleSize);
            Assert.Equal(parameters.GetString(FeedForwardSearchSpace.InputTransform), options.InputTransform.ToString());
            Assert.Equal((float)parameters.GetDouble(FeedForwardSearchSpace.LabelSmoothing), options.LabelSmoothing);
            Assert.InRange(options.LabelSmoothing, 0f, 0.2f);
        }

        Assert.Equal(4, seen.Count);
    }

    [Fact]
    public void SamplingTheDefaultSpaceRepeatsForASeed()
    {
        var space = FeedForwardSearchSpace.CreateDefault(TaskKind.Binary);

        var random = new RandomSearchOptimizer(space, 11).Propose(12);
        Assert.Equal(random, new RandomSearchOptimizer(FeedForwardSearchSpace.CreateDefault(TaskKind.Binary), 11).Propose(12));
        Assert.NotEqual(random, new RandomSearchOptimizer(space, 12).Propose(12));

        // The Bayesian optimizer after its four space-filling trials: its model-based proposals repeat too.
        static IReadOnlyList<ParameterSet> Bayesian(SearchSpace space, int seed)
        {
            var optimizer = new BayesianOptimizer(space, seed, new BayesianOptimizer.Options { InitialTrials = 4 });
            var first = optimizer.Propose(4);
            for (var i = 0; i < first.Count; i++)
            {
                optimizer.Tell(first[i], first[i].GetDouble(FeedForwardSearchSpace.LearningRate) * (i + 1));
            }

            return [.. first, .. optimizer.Propose(2)];
        }

        var bayesian = Bayesian(space, 4);
        Assert.Equal(bayesian, Bayesian(FeedForwardSearchSpace.CreateDefault(TaskKind.Binary), 4));
        Assert.NotEqual(bayesian, Bayesian(space, 5));
        Assert.All(bayesian, space.Validate);
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
            [FeedForwardSearchSpace.InputTransform] = "Quantile",
            [FeedForwardSearchSpace.NumericEmbedding] = "PiecewiseLinear",
            [FeedForwardSearchSpace.EmbeddingBins] = 16,
            [FeedForwardSearchSpace.EnsembleSize] = "4",
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
        Assert.Equal(InputTransform.Quantile, options.InputTransform);
        Assert.Equal(NumericEmbedding.PiecewiseLinear, options.NumericEmbedding);
        Assert.Equal(16, options.EmbeddingBins);
        Assert.Equal(FeedForwardTrainerOptionsBase.Defaults.EmbeddingFrequencyScale, options.EmbeddingFrequencyScale);
        Assert.Equal(4, options.EnsembleSize);
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
