namespace MlNetDeep.Layers;

/// <summary>
/// Where one hidden block (Dense → optional BatchNorm/LayerNorm → activation → optional dropout) sits in a
/// network's layer list. <see cref="NetworkBuilder"/> records it as it builds the block; an <see cref="InferencePlan"/>
/// maps it onto its folded layers.
/// </summary>
/// <param name="Index">The block index, from 0 (the <c>i</c> of <c>layers.i.weight</c>).</param>
/// <param name="DenseLayer">The index of the block's dense layer.</param>
/// <param name="ActivationLayer">The index of the block's activation layer (an <see cref="Layers.ActivationLayer"/> or a parametric activation layer).</param>
/// <param name="Activation">The block's activation.</param>
/// <param name="Units">Values per row the block emits.</param>
internal sealed record HiddenBlock(int Index, int DenseLayer, int ActivationLayer, Activation Activation, int Units)
{
    /// <summary>
    /// The index of the layer whose output is the block's pre-activation: the normalization layer when the
    /// block has one, otherwise the dense layer.
    /// </summary>
    public int PreActivationLayer => ActivationLayer - 1;
}
