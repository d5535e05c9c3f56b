using MlNetDeep.ActivationFunctions;
using MlNetDeep.Layers;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Layers;

/// <summary>The builder's layers, tensor declarations and hidden blocks.</summary>
public class NetworkBuilderTests
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
    public void DeclaresEveryTensorWithItsNameAndOwningBlock()
    {
        var stack = NetworkBuilder.Build(Spec());

        Assert.Equal(
            [typeof(Dropout), typeof(Dense), typeof(BatchNorm), typeof(PReLU), typeof(Dropout), typeof(Dense), typeof(ActivationLayer), typeof(Dense)],
            stack.Layers.Select(l => l.GetType()).ToArray());
        Assert.Equal(
            [("layers.0.weight", 0), ("layers.0.gamma", 0), ("layers.0.beta", 0), ("layers.0.alpha", 0), ("layers.1.weight", 1), ("layers.1.bias", 1), ("layers.2.weight", 2), ("layers.2.bias", 2)],
            stack.Parameters.Select(p => (p.Name, p.Block)).ToArray());
        Assert.Equal(
            [("input.mean", -1), ("input.scale", -1), ("target.mean", -1), ("target.std", -1), ("layers.0.running_mean", 0), ("layers.0.running_var", 0)],
            stack.Buffers.Select(b => (b.Name, b.Block)).ToArray());
        Assert.All(stack.Parameters, p => Assert.Contains(p.Owner, stack.Layers));
        Assert.Same(stack.Layers[3], stack.Parameters[3].Owner);
        Assert.Equal((4 * 3) + 4 + 4 + 4 + (2 * 4) + 2 + 2 + 1, stack.ParameterLength);
        Assert.Equal(3 + 3 + 1 + 1 + 4 + 4, stack.BufferLength);
        Assert.Equal([new HiddenBlock(0, 1, 3, Activation.PReLU, 4), new HiddenBlock(1, 5, 6, Activation.Tanh, 2)], stack.HiddenBlocks);
    }
}
