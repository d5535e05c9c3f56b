namespace MlNetDeep.Layers;

/// <summary>
/// What <see cref="NetworkBuilder"/> makes from a spec: the layers in forward order, every tensor they declare in layout
/// order (parameters, then buffers, each with its state-dict name and owning block), and where the hidden blocks sit. The
/// layers are not yet bound to storage; <see cref="ParameterStore"/> does that.
/// </summary>
/// <remarks>
/// The first four buffers are the network-wide ones, at the positions of the constants below: <c>input.mean</c> and
/// <c>input.scale</c> (<c>x' = (x − mean) · scale</c>, <c>[InputSize]</c> each), <c>target.mean</c> and
/// <c>target.std</c> (regression predicts <c>y = target.mean + target.std · ŷ</c>, one value each).
/// </remarks>
internal sealed class LayerStack
{
    /// <summary>The position of <c>input.mean</c> among the buffers.</summary>
    public const int InputMeanBuffer = 0;

    /// <summary>The position of <c>input.scale</c> among the buffers.</summary>
    public const int InputScaleBuffer = 1;

    /// <summary>The position of <c>target.mean</c> among the buffers.</summary>
    public const int TargetMeanBuffer = 2;

    /// <summary>The position of <c>target.std</c> among the buffers.</summary>
    public const int TargetStdBuffer = 3;

    /// <summary>Holds what the builder made.</summary>
    public LayerStack(Layer[] layers, TensorDeclaration[] parameters, TensorDeclaration[] buffers, HiddenBlock[] hiddenBlocks)
    {
        Layers = layers;
        Parameters = parameters;
        Buffers = buffers;
        HiddenBlocks = hiddenBlocks;
        ParameterLength = parameters.Sum(p => p.Spec.Length);
        BufferLength = buffers.Sum(b => b.Spec.Length);
    }

    /// <summary>The layers in forward order.</summary>
    public Layer[] Layers { get; }

    /// <summary>The learnable tensors in layout order.</summary>
    public IReadOnlyList<TensorDeclaration> Parameters { get; }

    /// <summary>The buffers in layout order, the network-wide ones first.</summary>
    public IReadOnlyList<TensorDeclaration> Buffers { get; }

    /// <summary>The hidden blocks, in order, with the indices of their layers in <see cref="Layers"/>.</summary>
    public IReadOnlyList<HiddenBlock> HiddenBlocks { get; }

    /// <summary>The number of parameter values.</summary>
    public int ParameterLength { get; }

    /// <summary>The number of buffer values.</summary>
    public int BufferLength { get; }
}
