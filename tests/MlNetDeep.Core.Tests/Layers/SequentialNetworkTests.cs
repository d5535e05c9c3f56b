using MlNetDeep.Compute;
using MlNetDeep.Layers;
using MlNetDeep.GradientOptimizers;
using MlNetDeep.Tests.TestUtilities;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Layers;

public class SequentialNetworkTests
{
    private static NetworkSpec ReferenceSpec() => new()
    {
        InputSize = 5,
        Task = TaskKind.Multiclass,
        ClassCount = 3,
        HiddenLayers =
        [
            new HiddenLayerSpec(8, Activation.ReLU, Normalization.BatchNorm, 0f),
            new HiddenLayerSpec(6, Activation.Tanh, Normalization.LayerNorm, 0f),
        ],
    };

    [Fact]
    public void StateDictionaryNamesFollowTheBlocks()
    {
        var network = SequentialNetwork.Create(ReferenceSpec(), seed: 1);
        var names = network.ParameterTensors.Select(t => t.Name).ToArray();
        Assert.Equal(
            ["layers.0.weight", "layers.0.gamma", "layers.0.beta", "layers.1.weight", "layers.1.bias", "layers.1.gamma", "layers.1.beta", "layers.2.weight", "layers.2.bias"],
            names);
        Assert.Equal(
            ["input.mean", "input.scale", "target.mean", "target.std", "layers.0.running_mean", "layers.0.running_var"],
            network.BufferTensors.Select(t => t.Name).ToArray());
        Assert.Equal([8, 5], network.ParameterTensors[0].Spec.Shape);
        Assert.Equal(network.Parameters.Length, network.ParameterTensors.Sum(t => t.View.Length));
    }

    /// <summary>
    /// One whole Adam step of Dense–BatchNorm–ReLU–Dense–LayerNorm–Tanh–Dense with softmax cross-entropy against
    /// PyTorch. The reference's first dense layer has a bias; batch norm removes it exactly (its gradient is
    /// zero and the output does not depend on it), which is why the network drops it. It only shifts the
    /// running mean by momentum·b1, which the comparison accounts for.
    /// </summary>
    [Fact]
    public void OneTrainingStepMatchesTheReference()
    {
        var reference = ReferenceData.Load("mlp_training_step");
        var before = reference.Root.GetProperty("params_before");
        var grads = reference.Root.GetProperty("grads");
        var after = reference.Root.GetProperty("params_after");
        var map = new Dictionary<string, string>
        {
            ["layers.0.weight"] = "W1", ["layers.0.gamma"] = "gamma1", ["layers.0.beta"] = "beta1",
            ["layers.1.weight"] = "W2", ["layers.1.bias"] = "b2", ["layers.1.gamma"] = "gamma2", ["layers.1.beta"] = "beta2",
            ["layers.2.weight"] = "W3", ["layers.2.bias"] = "b3",
        };

        var network = SequentialNetwork.Create(ReferenceSpec(), seed: 1);
        foreach (var tensor in network.ParameterTensors)
        {
            ReferenceData.ToFloats(before.GetProperty(map[tensor.Name])).CopyTo(tensor.View.Span);
        }

        var x = reference.Floats("x");
        var labels = reference.Floats("labels");
        network.Allocate(12);
        var context = new LayerContext(new RandomGenerator(0)) { Training = true };
        network.ZeroGradients();
        var output = network.Forward(x, 12, context);
        var gradient = new float[12 * 3];
        var loss = NetworkTrainer.CreateLoss(ReferenceSpec(), 0).LossAndGradient(output, labels, ReadOnlySpan<float>.Empty, 12, gradient);
        AssertClose.Scalar(reference.Double("loss"), loss, what: "loss");
        network.Backward(gradient, 12, context);
        foreach (var tensor in network.ParameterTensors)
        {
            AssertClose.All(ReferenceData.ToFloats(grads.GetProperty(map[tensor.Name])), network.Gradients.AsSpan(tensor.View.Offset, tensor.View.Length), rtol: 1e-3, atol: 1e-6, what: "d" + tensor.Name);
        }

        var b1Gradient = ReferenceData.ToFloats(grads.GetProperty("b1"));
        Assert.All(b1Gradient, g => Assert.True(Math.Abs(g) < 1e-12));

        var adam = OptimizerFactory.Create(Optimizer.Adam, new OptimizerOptions(), network.Parameters.Length, null);
        adam.Step(network.Parameters, network.Gradients, 0.01f);
        foreach (var tensor in network.ParameterTensors)
        {
            AssertClose.All(ReferenceData.ToFloats(after.GetProperty(map[tensor.Name])), tensor.View.Span, rtol: 1e-4, atol: 1e-5, what: tensor.Name);
        }

        var b1 = ReferenceData.ToFloats(before.GetProperty("b1"));
        var runningMean = reference.Floats("bn_running_mean_after").Select((m, i) => m - (0.1f * b1[i])).ToArray();
        var state = network.GetStateDictionary();
        AssertClose.All(runningMean, state["layers.0.running_mean"], rtol: 1e-4, atol: 1e-6, what: "running_mean");
        AssertClose.All(reference.Floats("bn_running_var_after"), state["layers.0.running_var"], rtol: 1e-4, atol: 1e-6, what: "running_var");
    }

    [Theory]
    [InlineData(Normalization.None, Activation.Tanh)]
    [InlineData(Normalization.BatchNorm, Activation.GELU)]
    [InlineData(Normalization.LayerNorm, Activation.PReLU)]
    public void WholeNetworkGradientMatchesFiniteDifferences(Normalization normalization, Activation activation)
    {
        var spec = new NetworkSpec
        {
            InputSize = 3,
            Task = TaskKind.Multiclass,
            ClassCount = 4,
            HiddenLayers = [new HiddenLayerSpec(17, activation, normalization, 0f), new HiddenLayerSpec(5, Activation.Sigmoid, Normalization.None, 0f)],
            WeightInitializer = WeightInitializer.XavierNormal,
        };
        var network = SequentialNetwork.Create(spec, seed: 3);
        const int Batch = 6;
        var random = new Random(4);
        var x = FiniteDifference.RandomVector(random, Batch * 3);
        var labels = Enumerable.Range(0, Batch).Select(i => (float)(i % 4)).ToArray();
        var loss = NetworkTrainer.CreateLoss(spec, 0);
        network.Allocate(Batch);
        var context = new LayerContext(new RandomGenerator(0)) { Training = true };
        var gradient = new float[Batch * 4];

        double Loss(float[] parameters)
        {
            parameters.CopyTo(network.Parameters, 0);
            var output = network.Forward(x, Batch, context);
            return loss.LossAndGradient(output, labels, ReadOnlySpan<float>.Empty, Batch, gradient);
        }

        var point = (float[])network.Parameters.Clone();
        // A small step keeps the probe from crossing the kink of PReLU at zero.
        var numeric = FiniteDifference.Gradient(Loss, point, h: 2e-3);
        point.CopyTo(network.Parameters, 0);
        network.ZeroGradients();
        var output = network.Forward(x, Batch, context);
        loss.LossAndGradient(output, labels, ReadOnlySpan<float>.Empty, Batch, gradient);
        network.Backward(gradient, Batch, context);
        FiniteDifference.AssertMatches(network.Gradients, numeric, rtol: 3e-2, atol: 3e-3);
    }

    [Fact]
    public void ScorerMatchesTheInferenceForwardPassAndSplitsLargeRequests()
    {
        var spec = ReferenceSpec();
        var network = SequentialNetwork.Create(spec, seed: 9);
        var random = new Random(2);
        var x = FiniteDifference.RandomVector(random, 37 * 5);
        network.Allocate(37);
        var context = new LayerContext(new RandomGenerator(0)) { Training = false };
        var logits = network.Forward(x, 37, context).ToArray();
        var scorer = network.CreateScorer(maxBatch: 8);
        var probabilities = new float[37 * 3];
        scorer.Score(x, probabilities, 37);
        for (var r = 0; r < 37; r++)
        {
            var expected = new float[3];
            System.Numerics.Tensors.TensorPrimitives.SoftMax(logits.AsSpan(r * 3, 3), expected);
            AssertClose.All(expected, probabilities.AsSpan(r * 3, 3), rtol: 1e-5, atol: 1e-7);
        }

        var single = new float[3];
        scorer.Score(x.AsSpan(36 * 5, 5), single, 1);
        Assert.Equal(probabilities.AsSpan(36 * 3, 3).ToArray(), single);
    }

    [Fact]
    public void SameSeedGivesTheSameWeightsAndDifferentSeedsDiffer()
    {
        var a = SequentialNetwork.Create(ReferenceSpec(), seed: 5);
        var b = SequentialNetwork.Create(ReferenceSpec(), seed: 5);
        var c = SequentialNetwork.Create(ReferenceSpec(), seed: 6);
        Assert.Equal(a.Parameters, b.Parameters);
        Assert.NotEqual(a.Parameters, c.Parameters);
    }

    /// <summary>
    /// At inference, runs of batch norm, activation and dropout go block by block of rows, shared among threads when the
    /// batch is large; a row's scores must not depend on the thread count or on where the blocks are cut.
    /// </summary>
    [Fact]
    public void InferenceScoresDoNotDependOnThreadsOrBatchCuts()
    {
        var spec = new NetworkSpec
        {
            InputSize = 30,
            Task = TaskKind.Multiclass,
            ClassCount = 4,
            HiddenLayers =
            [
                new HiddenLayerSpec(200, Activation.SiLU, Normalization.BatchNorm, 0.3f),
                new HiddenLayerSpec(90, Activation.ReLU, Normalization.BatchNorm, 0.1f),
            ],
        };
        const int Rows = 300;
        Assert.True(Rows * 90 >= ForwardPass.RowwiseThreadedValues);
        var network = SequentialNetwork.Create(spec, seed: 4);
        var random = new Random(6);
        foreach (var tensor in network.BufferTensors.Where(t => t.Name.EndsWith("running_mean", StringComparison.Ordinal) || t.Name.EndsWith("running_var", StringComparison.Ordinal)))
        {
            var span = tensor.View.Span;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (float)(0.5 + random.NextDouble());
            }
        }

        var x = Enumerable.Range(0, Rows * spec.InputSize).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var twoThreads = new float[Rows * 4];
        network.CreateScorer(maxBatch: Rows, threads: 2).Score(x, twoThreads, Rows);
        var oneThread = new float[Rows * 4];
        network.CreateScorer(maxBatch: Rows, threads: 1).Score(x, oneThread, Rows);
        var halves = new float[Rows * 4];
        network.CreateScorer(maxBatch: Rows / 2, threads: 2).Score(x, halves, Rows);

        Assert.Equal(oneThread, twoThreads);
        Assert.Equal(oneThread, halves);
        Assert.All(oneThread, p => Assert.InRange(p, 0f, 1f));
    }

    /// <summary>
    /// At inference a dense layer's bias is added block by block of rows with the activation and dropout after it (threaded
    /// when the batch is large); the values must be exactly those of the layers' own forward passes one after the other.
    /// </summary>
    [Fact]
    public void InferencePassEqualsTheLayersRunOneAfterAnother()
    {
        var spec = new NetworkSpec
        {
            InputSize = 20,
            Task = TaskKind.Multiclass,
            ClassCount = 5,
            HiddenLayers = [new HiddenLayerSpec(100, Activation.GELU, Normalization.None, 0.2f), new HiddenLayerSpec(30, Activation.ReLU, Normalization.None, 0f)],
        };
        const int Rows = 200;
        Assert.True(Rows * 100 >= ForwardPass.RowwiseThreadedValues);
        var network = SequentialNetwork.Create(spec, seed: 2);
        foreach (var bias in network.ParameterTensors.Where(t => t.Name.EndsWith("bias", StringComparison.Ordinal)))
        {
            bias.View.Span.Fill(0.25f);
        }

        var random = new Random(3);
        var x = Enumerable.Range(0, Rows * spec.InputSize).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        network.Allocate(Rows);
        var context = new LayerContext(new RandomGenerator(0), threads: 2) { Training = false };
        var actual = network.Forward(x, Rows, context).ToArray();

        var current = x;
        foreach (var layer in network.Layers)
        {
            var next = new float[Rows * layer.OutputSize];
            layer.Forward(current, next, Rows, context);
            current = next;
        }

        Assert.Equal(current, actual);
    }
}
