namespace MlNetDeep.Layers;

/// <summary>
/// One stage of a sequential network working on row-major mini-batches <c>[batch, size]</c>.
/// </summary>
/// <remarks>
/// The life of a layer: the network reads <see cref="Parameters"/> and <see cref="Buffers"/>, lays them out
/// in its contiguous storages and calls <see cref="Bind"/> with the views; then <see cref="Allocate"/> once
/// for the largest batch; then any number of <see cref="Forward"/> / <see cref="Backward"/> pairs, which
/// must not allocate managed memory. Forward caches what backward needs (for example batch statistics);
/// backward <em>accumulates</em> into the parameter gradients (or overwrites them when
/// <see cref="LayerContext.AccumulateGradients"/> is false) and <em>overwrites</em> the input gradient.
/// </remarks>
internal abstract class Layer
{
    /// <summary>Values per input row.</summary>
    public abstract int InputSize { get; }

    /// <summary>Values per output row.</summary>
    public abstract int OutputSize { get; }

    /// <summary>The learnable tensors of this layer, in layout order.</summary>
    public virtual IReadOnlyList<ParameterSpec> Parameters => [];

    /// <summary>The non-learned state (running statistics), in layout order.</summary>
    public virtual IReadOnlyList<ParameterSpec> Buffers => [];

    /// <summary>Receives the views into the network's storages, one per spec and in spec order.</summary>
    public virtual void Bind(TensorView[] parameters, TensorView[] gradients, TensorView[] buffers)
    {
    }

    /// <summary>Allocates the per-batch caches for batches of up to <paramref name="maxBatch"/> rows.</summary>
    public virtual void Allocate(int maxBatch)
    {
    }

    /// <summary>Computes <paramref name="output"/> <c>[batch, OutputSize]</c> from <paramref name="input"/> <c>[batch, InputSize]</c>.</summary>
    public abstract void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context);

    /// <summary>
    /// Given the forward pass's <paramref name="input"/> and <paramref name="output"/> and the loss gradient
    /// with respect to the output, adds the parameter gradients into the bound gradient views (writes them when
    /// <see cref="LayerContext.AccumulateGradients"/> is false) and, when
    /// <paramref name="inputGradient"/> is not empty, writes the gradient with respect to the input.
    /// </summary>
    public abstract void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient,
        int batch,
        LayerContext context);

    /// <summary>
    /// Whether a forward pass under <paramref name="context"/> maps every row on its own, writing no state, once
    /// <see cref="BeginRowwiseForward"/> has run: then the pass may be cut into blocks of rows that run at once on
    /// different threads (<see cref="ForwardRows"/>), each block carried through a run of such layers while it is in
    /// the cache. True at inference for batch normalization (running statistics), activations and dropout (the identity).
    /// </summary>
    public virtual bool IsRowwise(LayerContext context) => false;

    /// <summary>For a rowwise pass, does on one thread what every block of rows shares (a batch normalization's scale and shift).</summary>
    public virtual void BeginRowwiseForward(LayerContext context)
    {
    }

    /// <summary>
    /// Forward over <paramref name="rows"/> rows, after <see cref="BeginRowwiseForward"/>; safe to run on disjoint blocks
    /// of rows at once. Each row's result is the one <see cref="Forward"/> computes.
    /// </summary>
    public virtual void ForwardRows(ReadOnlySpan<float> input, Span<float> output, int rows)
        => throw new NotSupportedException($"{GetType().Name} does not run its forward pass by blocks of rows.");

    /// <summary>
    /// Whether the forward pass is a product over the whole batch (<see cref="ForwardProduct"/>) followed by a finish that
    /// maps every row on its own (<see cref="FinishRows"/>, a dense layer's bias). At inference the finish then goes block
    /// by block of rows with the rowwise layers after it.
    /// </summary>
    public virtual bool HasRowwiseFinish => false;

    /// <summary>The forward pass without its rowwise finish; <see cref="FinishRows"/> over all rows completes it.</summary>
    public virtual void ForwardProduct(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
        => throw new NotSupportedException($"{GetType().Name} has no rowwise finish.");

    /// <summary>Finishes <paramref name="rows"/> rows of <see cref="ForwardProduct"/>'s output in place; safe to run on disjoint blocks of rows at once.</summary>
    public virtual void FinishRows(Span<float> output, int rows)
        => throw new NotSupportedException($"{GetType().Name} has no rowwise finish.");
}
