using MlNetDeep.Compute;
using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Layers;

public class InferenceFoldingTests
{
    private const int Rows = 23;

    /// <summary>The scorer's folded layers give the unfolded network's logits, with batch norm and standardization gone.</summary>
    [Fact]
    public void FoldedLayersComputeTheUnfoldedNetwork()
    {
        var network = Network(inputDropout: 0f, inputMean: 3f, inputScale: 0.5f);
        var layers = InferenceFolding.Fold(network.Layers, network.InputMean, network.InputScale, out var standardizationFolded);

        Assert.True(standardizationFolded);
        Assert.DoesNotContain(layers, l => l is BatchNorm);
        Assert.Equal(network.Layers.Count - 2, layers.Length);
        AssertScoresMatchTheUnfoldedNetwork(network);
    }

    /// <summary>
    /// A feature far from zero in standard deviations would lose precision inside a folded product, so the
    /// standardization stays its own pass; batch norm is still folded.
    /// </summary>
    [Fact]
    public void FeaturesFarFromZeroKeepTheStandardization()
    {
        var network = Network(inputDropout: 0f, inputMean: 20_000f, inputScale: 0.01f);
        var layers = InferenceFolding.Fold(network.Layers, network.InputMean, network.InputScale, out var standardizationFolded);

        Assert.False(standardizationFolded);
        Assert.DoesNotContain(layers, l => l is BatchNorm);
        AssertScoresMatchTheUnfoldedNetwork(network, offset: 20_000f);
    }

    /// <summary>Input dropout comes between the standardization and the first dense layer: only batch norm is folded.</summary>
    [Fact]
    public void InputDropoutKeepsTheStandardization()
    {
        var network = Network(inputDropout: 0.2f, inputMean: 1f, inputScale: 2f);
        var layers = InferenceFolding.Fold(network.Layers, network.InputMean, network.InputScale, out var standardizationFolded);

        Assert.False(standardizationFolded);
        Assert.IsType<Dropout>(layers[0]);
        Assert.DoesNotContain(layers, l => l is BatchNorm);
        AssertScoresMatchTheUnfoldedNetwork(network);
    }

    /// <summary>Monte Carlo passes keep their dropout layers active around the folded ones, and embeddings read the folded blocks.</summary>
    [Fact]
    public void FoldedScorerServesMonteCarloAndEmbeddings()
    {
        var network = Network(inputDropout: 0f, inputMean: 3f, inputScale: 0.5f);
        var x = NetworkInput(0f);
        var scorer = network.CreateScorer(maxBatch: 8);
        var scores = new float[Rows * 3];
        scorer.Score(x, scores, Rows);
        var monteCarlo = new float[Rows * 3];
        scorer.ScoreMonteCarlo(x, monteCarlo, new float[Rows], Rows, passes: 3, seed: 1);
        Assert.NotEqual(scores, monteCarlo);

        // Block 0's activations, unfolded: the network's own inference pass up to its activation layer.
        network.Allocate(Rows);
        network.Forward(x, Rows, new LayerContext(new RandomGenerator(0)) { Training = false });
        var expected = network.LayerOutput(2, Rows).ToArray();
        var embedding = new float[Rows * 12];
        scorer.Embed(x, embedding, Rows, block: 0);
        AssertClose.All(expected, embedding, rtol: 1e-5, atol: 1e-5);
    }

    /// <summary>
    /// Every dense layer of the scorer holds its own 64-byte aligned values; one with nothing to fold (the output layer)
    /// holds an exact copy of the network's.
    /// </summary>
    [Fact]
    public unsafe void DenseLayersOwnAlignedValues()
    {
        var network = Network(inputDropout: 0f, inputMean: 3f, inputScale: 0.5f);
        var layers = InferenceFolding.Fold(network.Layers, network.InputMean, network.InputScale, out _);
        foreach (var dense in layers.OfType<Dense>())
        {
            fixed (float* weight = dense.Weight, bias = dense.Bias)
            {
                Assert.Equal(0u, (uint)((nuint)weight % 64));
                Assert.Equal(0u, (uint)((nuint)bias % 64));
            }
        }

        var original = (Dense)network.Layers[^1];
        var copy = (Dense)layers[^1];
        Assert.Equal(original.Weight.ToArray(), copy.Weight.ToArray());
        Assert.Equal(original.Bias.ToArray(), copy.Bias.ToArray());
        original.BindValues(new float[original.Weight.Length], new float[original.OutputSize]);
        Assert.NotEqual(original.Weight.ToArray(), copy.Weight.ToArray());
    }

    [Fact]
    public void LayersBoundToTheirOwnValuesCannotRunBackward()
    {
        var dense = new Dense(3, 2);
        dense.BindValues(new float[6], new float[2]);
        var error = Assert.Throws<InvalidOperationException>(() => dense.Backward(new float[3], new float[2], new float[2], new float[3], 1, new LayerContext(new RandomGenerator(0))));
        Assert.Contains("inference only", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Dense(3, 2).BindValues(new float[6], null));
    }

    /// <summary>Scores of the folded scorer against the unfolded network's own inference pass.</summary>
    private static void AssertScoresMatchTheUnfoldedNetwork(SequentialNetwork network, float offset = 0f)
    {
        var x = NetworkInput(offset);
        network.Allocate(Rows);
        var logits = network.Forward(x, Rows, new LayerContext(new RandomGenerator(0)) { Training = false }).ToArray();
        var expected = new float[Rows * 3];
        for (var r = 0; r < Rows; r++)
        {
            System.Numerics.Tensors.TensorPrimitives.SoftMax(logits.AsSpan(r * 3, 3), expected.AsSpan(r * 3, 3));
        }

        foreach (var threads in new[] { 1, 2 })
        {
            var scores = new float[Rows * 3];
            network.CreateScorer(maxBatch: 8, threads).Score(x, scores, Rows);
            AssertClose.All(expected, scores, rtol: 1e-5, atol: 1e-6);
        }
    }

    /// <summary>
    /// Two batch-normalized blocks with dropout, every parameter and statistic away from its initial value, and the
    /// given input standardization.
    /// </summary>
    private static SequentialNetwork Network(float inputDropout, float inputMean, float inputScale)
    {
        var spec = new NetworkSpec
        {
            InputSize = 7,
            Task = TaskKind.Multiclass,
            ClassCount = 3,
            InputDropoutRate = inputDropout,
            HiddenLayers =
            [
                new HiddenLayerSpec(12, Activation.ReLU, Normalization.BatchNorm, 0.3f),
                new HiddenLayerSpec(9, Activation.Tanh, Normalization.BatchNorm, 0f),
            ],
        };
        var network = SequentialNetwork.Create(spec, seed: 3);
        var random = new Random(8);
        foreach (var tensor in network.ParameterTensors.Concat(network.BufferTensors))
        {
            var span = tensor.View.Span;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = tensor.Name switch
                {
                    "input.mean" => inputMean * (float)(0.5 + random.NextDouble()),
                    "input.scale" => inputScale * (float)(0.5 + random.NextDouble()),
                    "target.mean" or "target.std" => span[i],
                    _ when tensor.Name.EndsWith("running_var", StringComparison.Ordinal) => (float)(0.2 + random.NextDouble()),
                    _ when tensor.Name.EndsWith("weight", StringComparison.Ordinal) => span[i],
                    _ => (float)((random.NextDouble() * 2) - 1),
                };
            }
        }

        return network;
    }

    /// <summary>Raw rows around <paramref name="offset"/>.</summary>
    private static float[] NetworkInput(float offset)
    {
        var random = new Random(9);
        return Enumerable.Range(0, Rows * 7).Select(_ => offset + (float)((random.NextDouble() * 4) - 2)).ToArray();
    }
}
