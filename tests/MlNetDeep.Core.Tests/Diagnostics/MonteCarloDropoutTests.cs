using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Diagnostics;

public class MonteCarloDropoutTests
{
    private static SequentialNetwork WithoutDropout(TaskKind task)
    {
        var network = NetworkBuilder.Create(
            3,
            task,
            task == TaskKind.Multiclass ? 4 : 0,
            new HiddenLayerSpec(8, Activation.ReLU, Normalization.BatchNorm, 0f),
            new HiddenLayerSpec(5, Activation.Tanh, Normalization.None, 0f));
        NetworkBuilder.Set(network, "layers.0.running_mean", 0.3f, -0.2f, 0.1f, 0f, 0.5f, -0.5f, 0.2f, 0.4f);
        NetworkBuilder.Set(network, "layers.0.running_var", 2f, 0.5f, 1.5f, 1f, 3f, 0.25f, 1f, 2f);
        if (task == TaskKind.Regression)
        {
            network.TargetMean = 3f;
            network.TargetStd = 2f;
        }

        return network;
    }

    [Theory]
    [InlineData("Multiclass", 1)]
    [InlineData("Multiclass", 5)]
    [InlineData("Binary", 1)]
    [InlineData("Binary", 5)]
    [InlineData("Regression", 1)]
    [InlineData("Regression", 5)]
    public void WithoutDropoutEveryPassIsTheOrdinaryPrediction(string taskName, int passes)
    {
        var task = Enum.Parse<TaskKind>(taskName);
        // Batch norm must stay at inference (running statistics) in every pass for this to hold.
        var network = WithoutDropout(task);
        var input = NetworkBuilder.Uniform(7, 3, -2f, 2f, seed: 4);
        var scorer = network.CreateScorer(maxBatch: 3);
        var ordinary = new float[7 * scorer.OutputSize];
        var mean = new float[ordinary.Length];
        var uncertainty = new float[7];

        scorer.Score(input, ordinary, 7);
        scorer.ScoreMonteCarlo(input, mean, uncertainty, 7, passes, seed: 1);

        Assert.Equal(ordinary, mean);
        for (var r = 0; r < 7; r++)
        {
            var expected = task == TaskKind.Multiclass
                ? -ordinary.AsSpan(r * 4, 4).ToArray().Sum(p => p * Math.Log(p))
                : 0;
            AssertClose.Scalar(expected, uncertainty[r], rtol: 1e-5, atol: 1e-6, what: $"uncertainty of row {r}");
        }
    }

    [Fact]
    public void TheMeanAndSpreadMatchTheClosedFormOfALinearDropoutNetwork()
    {
        // x → h = W₀x + b₀ (linear) → dropout(p) → y = w·h + b. Inverted dropout keeps E[y] = w·h + b, and
        // Var[y] = p/(1 − p)·Σⱼ wⱼ²hⱼ², scaled by the target std on the original scale.
        const float rate = 0.25f;
        var network = NetworkBuilder.Create(2, TaskKind.Regression, 0, new HiddenLayerSpec(3, Activation.Linear, Normalization.None, rate));
        NetworkBuilder.Set(network, "layers.0.weight", 1f, 0f, 0f, 1f, 1f, -1f);
        NetworkBuilder.Set(network, "layers.0.bias", 0f, 0.5f, 0f);
        NetworkBuilder.Set(network, "layers.1.weight", 2f, -1f, 0.5f);
        NetworkBuilder.Set(network, "layers.1.bias", 1f);
        network.TargetStd = 3f;
        float[] input = [1f, 2f];
        var h = new[] { 1.0, 2.5, -1.0 };
        var w = new[] { 2.0, -1.0, 0.5 };
        var expectedMean = 3 * (1 + h.Zip(w).Sum(p => p.First * p.Second));
        var expectedStd = 3 * Math.Sqrt(rate / (1 - rate) * h.Zip(w).Sum(p => p.First * p.First * p.Second * p.Second));
        var scorer = network.CreateScorer();
        var mean = new float[1];
        var uncertainty = new float[1];

        scorer.ScoreMonteCarlo(input, mean, uncertainty, 1, passes: 20000, seed: 3);

        // Standard error of the mean over 20 000 passes is about std/141.
        AssertClose.Scalar(expectedMean, mean[0], rtol: 0, atol: 4 * expectedStd / Math.Sqrt(20000), what: "Monte Carlo mean");
        AssertClose.Scalar(expectedStd, uncertainty[0], rtol: 0.03, what: "Monte Carlo standard deviation");
    }

    [Fact]
    public void TheSameSeedRepeatsAndAnotherSeedDiffers()
    {
        var network = NetworkBuilder.Create(3, TaskKind.Multiclass, 3, new HiddenLayerSpec(16, Activation.SELU, Normalization.None, 0.3f), new HiddenLayerSpec(16, Activation.ReLU, Normalization.LayerNorm, 0.3f));
        var input = NetworkBuilder.Uniform(5, 3, -1f, 1f, seed: 2);
        var scorer = network.CreateScorer();
        float[] Run(long seed, float[] uncertainty)
        {
            var output = new float[15];
            scorer.ScoreMonteCarlo(input, output, uncertainty, 5, passes: 10, seed);
            return output;
        }

        var u1 = new float[5];
        var u2 = new float[5];
        var u3 = new float[5];
        var first = Run(9, u1);
        var again = Run(9, u2);
        var other = Run(10, u3);

        Assert.Equal(first, again);
        Assert.Equal(u1, u2);
        Assert.NotEqual(first, other);
        for (var r = 0; r < 5; r++)
        {
            AssertClose.Scalar(1, first.AsSpan(r * 3, 3).ToArray().Sum(), what: $"probabilities of row {r}");
            Assert.InRange(u1[r], 0f, (float)Math.Log(3) + 1e-6f);
        }
    }

    [Fact]
    public void BinaryReturnsTheLogitOfTheMeanProbability()
    {
        // One pass: the one logit exactly. Many passes: between the extremes, with a probability spread > 0.
        var network = NetworkBuilder.Create(3, TaskKind.Binary, 0, new HiddenLayerSpec(32, Activation.ReLU, Normalization.None, 0.5f));
        var input = NetworkBuilder.Uniform(4, 3, -1f, 1f, seed: 6);
        var scorer = network.CreateScorer();
        var single = new float[4];
        var mean = new float[4];
        var uncertainty = new float[4];

        scorer.ScoreMonteCarlo(input, single, uncertainty, 4, passes: 1, seed: 5);
        Assert.All(uncertainty, u => Assert.Equal(0f, u));
        scorer.ScoreMonteCarlo(input, mean, uncertainty, 4, passes: 200, seed: 5);

        var ordinary = new float[4];
        scorer.Score(input, ordinary, 4);
        for (var r = 0; r < 4; r++)
        {
            Assert.InRange(uncertainty[r], 1e-4f, 0.5f);
            AssertClose.Scalar(ordinary[r], mean[r], rtol: 0, atol: 0.5, what: $"mean logit of row {r}");
        }
    }

    [Fact]
    public void UncertaintyIsHigherFarFromTheTrainingData()
    {
        var rows = 200;
        var features = NetworkBuilder.Uniform(rows, 1, -1f, 1f, seed: 8);
        var labels = features.Select(x => MathF.Sin(2 * x)).ToArray();
        var spec = new NetworkSpec
        {
            InputSize = 1,
            Task = TaskKind.Regression,
            HiddenLayers = [new HiddenLayerSpec(32, Activation.ReLU, Normalization.None, 0.1f), new HiddenLayerSpec(32, Activation.ReLU, Normalization.None, 0.1f)],
        };
        var network = NetworkTrainer.Train(spec, new TrainingData(features, rows, 1, labels), new TrainingSettings { NumberOfEpochs = 40, BatchSize = 32, LearningRate = 0.01f, Seed = 1 }).Network;
        var scorer = network.CreateScorer();
        var mean = new float[3];
        var uncertainty = new float[3];

        scorer.ScoreMonteCarlo([0f, 0.5f, 8f], mean, uncertainty, 3, passes: 300, seed: 2);

        Assert.True(uncertainty[2] > 3 * Math.Max(uncertainty[0], uncertainty[1]), $"Uncertainty at x = 0, 0.5, 8: {string.Join(", ", uncertainty)}.");
        AssertClose.Scalar(0, mean[0], rtol: 0, atol: 0.25, what: "mean at x = 0 (sin 0)");
    }

    [Fact]
    public void RejectsNoPassesAndShortBuffers()
    {
        var scorer = WithoutDropout(TaskKind.Regression).CreateScorer();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => scorer.ScoreMonteCarlo(new float[3], new float[1], new float[1], 1, passes: 0, seed: 0));
        Assert.Contains("Received: passes=0", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => scorer.ScoreMonteCarlo(new float[6], new float[2], new float[1], 2, passes: 3, seed: 0));
    }
}
