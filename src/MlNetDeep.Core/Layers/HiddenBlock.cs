using MlNetDeep.ActivationFunctions;

namespace MlNetDeep.Layers;

/// <summary>
/// Where one hidden block (Dense → optional BatchNorm/LayerNorm → activation → optional dropout) sits in a
/// network's layer list.
/// </summary>
/// <param name="Index">The block index, from 0 (the <c>i</c> of <c>layers.i.weight</c>).</param>
/// <param name="DenseLayer">The index of the block's dense layer.</param>
/// <param name="ActivationLayer">The index of the block's activation layer (an <see cref="Layers.ActivationLayer"/> or a <see cref="PReLU"/>).</param>
/// <param name="Activation">The block's activation.</param>
/// <param name="Units">Values per row the block emits.</param>
internal sealed record HiddenBlock(int Index, int DenseLayer, int ActivationLayer, Activation Activation, int Units)
{
    /// <summary>
    /// The index of the layer whose output is the block's pre-activation: the normalization layer when the
    /// block has one, otherwise the dense layer.
    /// </summary>
    public int PreActivationLayer => ActivationLayer - 1;

    /// <summary>
    /// Finds the hidden blocks of <paramref name="layers"/>: the <c>i</c>-th dense layer, except the last (the
    /// output layer), starts block <c>i</c>, and the first activation layer after it ends it.
    /// </summary>
    public static HiddenBlock[] Find(IReadOnlyList<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var blocks = new List<HiddenBlock>();
        var dense = -1;
        for (var l = 0; l < layers.Count; l++)
        {
            switch (layers[l])
            {
                case Dense:
                    dense = l;
                    break;
                case Layers.ActivationLayer activation when dense >= 0:
                    blocks.Add(new HiddenBlock(blocks.Count, dense, l, activation.Function.Kind, activation.OutputSize));
                    dense = -1;
                    break;
                case PReLU prelu when dense >= 0:
                    blocks.Add(new HiddenBlock(blocks.Count, dense, l, Activation.PReLU, prelu.OutputSize));
                    dense = -1;
                    break;
            }
        }

        return [.. blocks];
    }
}
