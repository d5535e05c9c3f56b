using MlNetDeep.Compute;
using MlNetDeep.Initializers;
using MlNetDeep.Layers;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Layers;

/// <summary>The store laid out from a build's declarations and started from them.</summary>
public class ParameterStoreTests
{
    private static NetworkSpec Spec() => new()
    {
        InputSize = 3,
        Task = TaskKind.Binary,
        InputDropoutRate = 0.1f,
        HiddenLayers =
        [
            new HiddenLayerSpec(4, Activation.PReLU, Normalization.BatchNorm, 0.2f),
            new HiddenLayerSpec(2, Activation.Tanh, Normalization.None, 0f),
        ],
    };

    [Fact]
    public void TheStoreLaysTheTensorsOutInDeclarationOrder()
    {
        var stack = NetworkBuilder.Build(Spec());
        var store = ParameterStore.Allocate(stack);

        var offset = 0;
        for (var i = 0; i < stack.Parameters.Count; i++)
        {
            var tensor = store.ParameterTensors[i];
            Assert.Equal((stack.Parameters[i].Name, stack.Parameters[i].Block, offset), (tensor.Name, tensor.Block, tensor.View.Offset));
            Assert.Same(store.Parameters, tensor.View.Storage);
            offset += tensor.View.Length;
        }

        Assert.Equal(store.Parameters.Length, offset);
        Assert.Equal(store.Parameters.Length, store.Gradients.Length);
        Assert.Equal([(0, 12), (24, 8), (34, 2)], store.DecayedRanges());
        Assert.Throws<InvalidDataException>(() => ParameterStore.FromValues(stack, new float[offset - 1], new float[stack.BufferLength]));
    }

    /// <summary>
    /// Weights are drawn in layout order, each by the initializer of the activation after its block (read from the
    /// declaration), from one stream; everything else starts at its spec's value.
    /// </summary>
    [Fact]
    public void InitializationDrawsEachBlocksWeightsForItsActivationInLayoutOrder()
    {
        var spec = Spec();
        var network = SequentialNetwork.Create(spec, seed: 11);

        var random = new RandomGenerator(11);
        var expected = new List<float>();
        foreach (var (shape, activation) in new[] { (new[] { 4, 3 }, Activation.PReLU), (new[] { 2, 4 }, Activation.Tanh), (new[] { 1, 2 }, Activation.Linear) })
        {
            var values = new float[shape[0] * shape[1]];
            InitializerFactory.ForActivation(activation).Initialize(values, shape, random);
            expected.AddRange(values);
        }

        var weights = network.ParameterTensors.Where(t => t.Spec.Role == ParameterRole.Weight).SelectMany(t => t.View.Span.ToArray()).ToArray();
        Assert.Equal(expected.ToArray(), weights);
        Assert.Equal([1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f, 0.25f, 0.25f, 0.25f, 0.25f], network.ParameterTensors.Where(t => t.Block == 0 && t.Spec.Role != ParameterRole.Weight).SelectMany(t => t.View.Span.ToArray()).ToArray());
        Assert.Equal([0f, 0f, 0f, 1f, 1f, 1f, 0f, 1f, 0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f], network.Buffers);
    }
}
