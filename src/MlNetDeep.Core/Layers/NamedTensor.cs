namespace MlNetDeep.Layers;

/// <summary>A tensor of the network with its state-dict name (<c>layers.0.weight</c>, …), its spec, its owning block and its view.</summary>
/// <param name="Name">The state-dict name, as the builder declared it (<see cref="TensorDeclaration.Name"/>).</param>
/// <param name="Spec">The shape, role and starting value.</param>
/// <param name="Block">The owning block (<see cref="TensorDeclaration.Block"/>): −1 for the network-wide buffers.</param>
/// <param name="View">Where the values are in the parameter or buffer storage.</param>
internal sealed record NamedTensor(string Name, ParameterSpec Spec, int Block, TensorView View);
