namespace MlNetDeep.Layers;

/// <summary>
/// One tensor a built network declares, before it has storage: its state-dict name, its spec, the hidden block that owns
/// it and the layer it belongs to. The builder writes the name once from the block and the spec's name; nothing reads
/// the block back out of the name.
/// </summary>
/// <param name="Name">The state-dict name: <c>layers.{Block}.{Spec.Name}</c>, or the spec's name for the network-wide buffers.</param>
/// <param name="Spec">The shape, role and starting value.</param>
/// <param name="Block">
/// The block whose layers declare the tensor: a hidden block <c>0 … HiddenLayers.Count − 1</c>, <c>HiddenLayers.Count</c>
/// for the output layer, −1 for the network-wide buffers (input standardization, target scaling).
/// </param>
/// <param name="Owner">The layer the tensor's view is bound to; null for the network-wide buffers.</param>
internal sealed record TensorDeclaration(string Name, ParameterSpec Spec, int Block, Layer? Owner);
