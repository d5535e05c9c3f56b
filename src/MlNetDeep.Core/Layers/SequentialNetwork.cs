using MlNetDeep.Compute;
using MlNetDeep.Training;

namespace MlNetDeep.Layers;

/// <summary>
/// A feed-forward network built from a <see cref="NetworkSpec"/>: input standardization, optional input dropout, hidden
/// blocks (Dense → BatchNorm/LayerNorm → activation → dropout) and a task-specific output layer. It composes the parts
/// that do the work: the <see cref="NetworkBuilder"/> makes the layers, the <see cref="ParameterStore"/> holds every
/// value in three contiguous arrays (parameters, gradients, buffers) with named views, the <see cref="TrainingExecutor"/>
/// runs forward and backward over mini-batches, <see cref="BatchNormRecalibration"/> replaces the running statistics,
/// and each scorer gets an <see cref="InferencePlan"/> of its own.
/// </summary>
/// <remarks>
/// <para>
/// Publicly a network is a trained model: <see cref="NetworkTrainer.Train(NetworkSpec, TrainingData, TrainingSettings, Action{TrainingEpoch})"/> returns one, <see cref="Serialization.NetworkSerializer"/>
/// saves and loads it, <see cref="CreateScorer"/> scores with it, <see cref="Spec"/> describes it and
/// <see cref="GetStateDictionary"/> reads its values. The layers, the parameter store and the training workspace stay
/// internal: the trainer writes the parameter arrays in place, so handing them out would let callers change a network
/// under a running scorer or training.
/// </para>
/// <para>
/// State-dict names and the layout are the builder's (see <see cref="NetworkBuilder"/>); input standardization is
/// <c>input.mean</c> and <c>input.scale</c> (<c>x' = (x − mean) · scale</c>); regression targets are predicted as
/// <c>y = target.mean + target.std · ŷ</c>.
/// </para>
/// </remarks>
public sealed class SequentialNetwork
{
    private readonly LayerStack _stack;
    private readonly ParameterStore _store;
    private readonly TrainingExecutor _executor;

    private SequentialNetwork(NetworkSpec spec, LayerStack stack, ParameterStore store)
    {
        Spec = spec;
        _stack = stack;
        _store = store;
        _executor = new TrainingExecutor(stack.Layers, store, spec.InputSize);
    }

    /// <summary>The architecture.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>All learnable parameters, contiguous, in layout order.</summary>
    internal float[] Parameters => _store.Parameters;

    /// <summary>The gradients of <see cref="Parameters"/>, same layout.</summary>
    internal float[] Gradients => _store.Gradients;

    /// <summary>Non-learned state: input standardization, target scaling and running statistics.</summary>
    internal float[] Buffers => _store.Buffers;

    /// <summary>The learnable tensors with their state-dict names.</summary>
    internal IReadOnlyList<NamedTensor> ParameterTensors => _store.ParameterTensors;

    /// <summary>The buffers with their state-dict names.</summary>
    internal IReadOnlyList<NamedTensor> BufferTensors => _store.BufferTensors;

    /// <summary>The layers in forward order.</summary>
    internal IReadOnlyList<Layer> Layers => _stack.Layers;

    /// <summary>The hidden blocks, with the indices of their layers in <see cref="Layers"/>.</summary>
    internal IReadOnlyList<HiddenBlock> HiddenBlocks => _stack.HiddenBlocks;

    /// <summary>Per-feature shift of the input standardization, <c>[InputSize]</c>.</summary>
    internal Span<float> InputMean => _store.InputMean;

    /// <summary>Per-feature scale of the input standardization, <c>[InputSize]</c>.</summary>
    internal Span<float> InputScale => _store.InputScale;

    /// <summary>Mean of the regression target (0 for classification).</summary>
    internal ref float TargetMean => ref _store.TargetMean;

    /// <summary>Standard deviation of the regression target (1 for classification).</summary>
    internal ref float TargetStd => ref _store.TargetStd;

    /// <summary>
    /// Builds a network and draws its initial weights from <paramref name="seed"/>: the same spec and seed
    /// give the same values. Input standardization starts as the identity.
    /// </summary>
    internal static SequentialNetwork Create(NetworkSpec spec, long seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var stack = NetworkBuilder.Build(spec);
        var store = ParameterStore.Allocate(stack);
        store.Initialize(spec, new RandomGenerator(seed));
        return new SequentialNetwork(spec, stack, store);
    }

    /// <summary>Rebuilds a network from its spec and the values of its parameters and buffers (checked for size).</summary>
    internal static SequentialNetwork FromValues(NetworkSpec spec, float[] parameters, float[] buffers)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var stack = NetworkBuilder.Build(spec);
        return new SequentialNetwork(spec, stack, ParameterStore.FromValues(stack, parameters, buffers));
    }

    /// <summary>
    /// Allocates the training workspace for mini-batches of up to <paramref name="maxBatch"/> rows and, for sparse rows,
    /// up to <paramref name="maxNonZeros"/> non-zeros per batch.
    /// </summary>
    internal void Allocate(int maxBatch, int maxNonZeros = 0) => _executor.Allocate(maxBatch, maxNonZeros);

    /// <summary>
    /// Runs the forward pass on <paramref name="batch"/> raw rows (standardized here; sparse rows only scaled, which
    /// needs a zero input mean, and read by the first dense layer over their non-zeros) and returns the output layer's
    /// values <c>[batch, OutputSize]</c>: logits for classification, the standardized target for regression. The span
    /// stays valid until the next forward pass.
    /// </summary>
    internal ReadOnlySpan<float> Forward(InputRows input, int batch, LayerContext context)
        => _executor.Forward(input, batch, context);

    /// <summary>Runs the first <paramref name="layers"/> layers forward (see <see cref="Forward"/>) and returns the last one's output.</summary>
    internal ReadOnlySpan<float> ForwardPrefix(int layers, InputRows input, int batch, LayerContext context)
        => _executor.ForwardPrefix(layers, input, batch, context);

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (the loss gradient w.r.t. the last forward
    /// pass's output) and adds every parameter gradient into <see cref="Gradients"/>, or writes them when
    /// <see cref="LayerContext.AccumulateGradients"/> is false.
    /// </summary>
    internal void Backward(ReadOnlySpan<float> outputGradient, int batch, LayerContext context)
        => _executor.Backward(outputGradient, batch, context);

    /// <summary>
    /// Replaces every batch-norm layer's running statistics by population statistics over all rows of the batches that
    /// <paramref name="batches"/> reads (see <see cref="BatchNormRecalibration"/>).
    /// </summary>
    /// <param name="batches">Reads every batch in turn (at most the allocated rows each), yielding its row count; enumerated once per batch-norm layer.</param>
    /// <param name="forwardPrefix">Runs the first layers of the network (<see cref="ForwardPrefix"/>) on the batch just read.</param>
    /// <param name="context">The context to run under (switched to inference for the passes).</param>
    internal void ReplaceRunningStatisticsWithPopulationStatistics(Func<IEnumerable<int>> batches, BatchNormRecalibration.PrefixForward forwardPrefix, LayerContext context)
        => BatchNormRecalibration.ReplaceRunningStatistics(_stack.Layers, batches, forwardPrefix, context);

    /// <summary>Sets every gradient to zero.</summary>
    internal void ZeroGradients() => _store.ZeroGradients();

    /// <summary>
    /// Creates an inference scorer with buffers of its own, so several can run at once. Its <see cref="InferencePlan"/>
    /// copies the dense layers' values as they are now, 64-byte aligned, with batch normalization and input
    /// standardization folded into them (see <see cref="InferenceFolding"/>), so a scorer holds about as much memory as the
    /// network's weights; create a new one after the network changes.
    /// </summary>
    /// <param name="maxBatch">The most rows one forward pass takes; larger requests are split.</param>
    /// <param name="threads">Threads the scorer's kernels may use.</param>
    public NetworkScorer CreateScorer(int maxBatch = 256, int threads = 1)
    {
        var stack = NetworkBuilder.Build(Spec);
        _store.BindCopy(stack);
        return new NetworkScorer(this, new InferencePlan(stack, _store, Spec.InputSize, maxBatch, threads));
    }

    /// <summary>
    /// The parameters and buffers by state-dict name (<c>layers.0.weight</c>, <c>input.mean</c>, ...), as copies taken
    /// now: changing them does not change the network.
    /// </summary>
    public IReadOnlyDictionary<string, float[]> GetStateDictionary() => _store.GetStateDictionary();

    /// <summary>The ranges of <see cref="Parameters"/> that weight decay applies to.</summary>
    internal IReadOnlyList<(int Offset, int Length)> DecayedRanges() => _store.DecayedRanges();

    /// <summary>
    /// The output <c>[batch, OutputSize]</c> of layer <paramref name="layer"/> in the last forward pass
    /// (<paramref name="layer"/> = −1 gives the standardized input). Valid until the next forward pass.
    /// </summary>
    internal ReadOnlySpan<float> LayerOutput(int layer, int batch) => _executor.LayerOutput(layer, batch);
}
