using MlNetDeep.ActivationFunctions;
using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Diagnostics;

public class EmbeddingTests
{
    /// <summary>
    /// Input standardization x' = (x − [1, −1])·[0.5, 2]; block 0: ReLU(W₀x' + b₀), 3 units, with dropout (off at
    /// inference); block 1: tanh(BatchNorm(W₁h₀)) with running statistics, 2 units.
    /// </summary>
    private static SequentialNetwork HandNetwork()
    {
        var network = NetworkBuilder.Create(
            2,
            TaskKind.Binary,
            0,
            new HiddenLayerSpec(3, Activation.ReLU, Normalization.None, 0.5f),
            new HiddenLayerSpec(2, Activation.Tanh, Normalization.BatchNorm, 0f));
        NetworkBuilder.Set(network, "input.mean", 1f, -1f);
        NetworkBuilder.Set(network, "input.scale", 0.5f, 2f);
        NetworkBuilder.Set(network, "layers.0.weight", 1f, 0f, 0f, 1f, 1f, 1f);
        NetworkBuilder.Set(network, "layers.0.bias", 0f, -1f, 0.5f);
        NetworkBuilder.Set(network, "layers.1.weight", 1f, 1f, 0f, 0f, -1f, 2f);
        NetworkBuilder.Set(network, "layers.1.gamma", 2f, 0.5f);
        NetworkBuilder.Set(network, "layers.1.beta", 0.1f, -0.1f);
        NetworkBuilder.Set(network, "layers.1.running_mean", 1f, 0f);
        NetworkBuilder.Set(network, "layers.1.running_var", 4f, 1f);
        return network;
    }

    private static (double[] Block0, double[] Block1) ByHand(float x0, float x1)
    {
        var s0 = (x0 - 1) * 0.5;
        var s1 = (x1 + 1) * 2.0;
        double[] h = [Math.Max(s0, 0), Math.Max(s1 - 1, 0), Math.Max(s0 + s1 + 0.5, 0)];
        var z0 = h[0] + h[1];
        var z1 = -h[1] + (2 * h[2]);
        var n0 = (2 * (z0 - 1) / Math.Sqrt(4 + BatchNorm.DefaultEpsilon)) + 0.1;
        var n1 = (0.5 * z1 / Math.Sqrt(1 + BatchNorm.DefaultEpsilon)) - 0.1;
        return (h, [Math.Tanh(n0), Math.Tanh(n1)]);
    }

    [Fact]
    public void EmbedsEachHiddenBlockAsComputedByHand()
    {
        float[] input = [3f, 0f, -1f, -1f, 5f, -2f];
        var scorer = HandNetwork().CreateScorer(maxBatch: 2);
        var first = new float[9];
        var last = new float[6];
        var lastByIndex = new float[6];

        scorer.Embed(input, first, 3, block: 0);
        scorer.Embed(input, last, 3);
        scorer.Embed(input, lastByIndex, 3, block: 1);

        for (var r = 0; r < 3; r++)
        {
            var (block0, block1) = ByHand(input[2 * r], input[(2 * r) + 1]);
            AssertClose.All(block0.Select(v => (float)v).ToArray(), first.AsSpan(r * 3, 3), what: $"block 0, row {r}");
            AssertClose.All(block1.Select(v => (float)v).ToArray(), last.AsSpan(r * 2, 2), what: $"block 1, row {r}");
        }

        Assert.Equal(last, lastByIndex);
        Assert.Equal(3, scorer.EmbeddingSize(0));
        Assert.Equal(2, scorer.EmbeddingSize());
    }

    [Fact]
    public void TheLastBlockFeedsTheOutputLayer()
    {
        // The binary logit is the output layer applied to the last embedding.
        var network = HandNetwork();
        NetworkBuilder.Set(network, "layers.2.weight", 1.5f, -0.5f);
        NetworkBuilder.Set(network, "layers.2.bias", 0.25f);
        float[] input = [2f, 1f];
        var scorer = network.CreateScorer();
        var embedding = new float[2];
        var logit = new float[1];

        scorer.Embed(input, embedding, 1);
        scorer.Score(input, logit, 1);

        AssertClose.Scalar((1.5 * embedding[0]) - (0.5 * embedding[1]) + 0.25, logit[0], what: "logit");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-2)]
    public void RejectsABlockThatDoesNotExist(int block)
    {
        var scorer = HandNetwork().CreateScorer();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => scorer.Embed(new float[2], new float[3], 1, block));

        Assert.Contains($"Received: block={block}", error.Message, StringComparison.Ordinal);
        Assert.Contains("0..1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsANetworkWithoutHiddenBlocksAndShortBuffers()
    {
        var scorer = NetworkBuilder.Create(2, TaskKind.Regression, 0).CreateScorer();
        Assert.Throws<InvalidOperationException>(() => scorer.Embed(new float[2], new float[2], 1));
        Assert.Throws<ArgumentException>(() => HandNetwork().CreateScorer().Embed(new float[4], new float[3], 2, block: 0));
    }

    [Fact]
    public void FindsTheBlocksAroundDropoutAndNormalization()
    {
        var network = SequentialNetwork.Create(
            new NetworkSpec
            {
                InputSize = 4,
                Task = TaskKind.Regression,
                InputDropoutRate = 0.1f,
                HiddenLayers =
                [
                    new HiddenLayerSpec(5, Activation.PReLU, Normalization.LayerNorm, 0.2f),
                    new HiddenLayerSpec(6, Activation.SELU, Normalization.None, 0.1f),
                    new HiddenLayerSpec(7, Activation.Sigmoid, Normalization.BatchNorm, 0f),
                ],
            },
            seed: 1);

        var blocks = network.HiddenBlocks;

        // Layers: dropout, dense, layer norm, PReLU, dropout, dense, SELU, alpha dropout, dense, batch norm, sigmoid, output dense.
        Assert.Equal(
            [new HiddenBlock(0, 1, 3, Activation.PReLU, 5), new HiddenBlock(1, 5, 6, Activation.SELU, 6), new HiddenBlock(2, 8, 10, Activation.Sigmoid, 7)],
            blocks);
        Assert.IsType<LayerNorm>(network.Layers[blocks[0].PreActivationLayer]);
        Assert.IsType<Dense>(network.Layers[blocks[1].PreActivationLayer]);
        Assert.IsType<PReLU>(network.Layers[blocks[0].ActivationLayer]);

        // The scorer's plan folds the batch norm into its dense layer: the sigmoid moves up by one.
        Assert.Equal(
            [new HiddenBlock(0, 1, 3, Activation.PReLU, 5), new HiddenBlock(1, 5, 6, Activation.SELU, 6), new HiddenBlock(2, 8, 9, Activation.Sigmoid, 7)],
            network.CreateScorer().HiddenBlocks);
    }
}
