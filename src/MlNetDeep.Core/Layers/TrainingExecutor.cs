namespace MlNetDeep.Layers;

/// <summary>
/// Runs a network's own layers (bound to its <see cref="ParameterStore"/>) forward and backward over mini-batches,
/// through a workspace allocated once for the largest batch: the output of every layer, kept for backward, and two
/// input-gradient buffers that backward swaps between.
/// </summary>
internal sealed class TrainingExecutor
{
    private readonly Layer[] _layers;
    private readonly ParameterStore _store;
    private readonly int _inputSize;
    private float[][] _activations = [];
    private float[] _gradientA = [];
    private float[] _gradientB = [];

    /// <summary>Runs <paramref name="layers"/>, bound to <paramref name="store"/>, on rows of <paramref name="inputSize"/> raw features.</summary>
    public TrainingExecutor(Layer[] layers, ParameterStore store, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(store);
        _layers = layers;
        _store = store;
        _inputSize = inputSize;
    }

    /// <summary>The most rows one pass takes, as allocated (0 before <see cref="Allocate"/>).</summary>
    public int MaxBatch { get; private set; }

    /// <summary>Allocates the workspace for mini-batches of up to <paramref name="maxBatch"/> rows.</summary>
    public void Allocate(int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        MaxBatch = maxBatch;
        _activations = ForwardPass.AllocateActivations(_layers, _inputSize, maxBatch);
        var widest = _inputSize;
        foreach (var layer in _layers)
        {
            widest = Math.Max(widest, layer.OutputSize);
        }

        _gradientA = new float[maxBatch * widest];
        _gradientB = new float[maxBatch * widest];
    }

    /// <summary>
    /// Runs the forward pass on <paramref name="batch"/> raw rows (standardized here) and returns the
    /// output layer's values <c>[batch, OutputSize]</c>. The span stays valid until the next forward pass.
    /// </summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> input, int batch, LayerContext context)
    {
        if (batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), $"Batch of {batch} rows exceeds the allocated {MaxBatch}; call Allocate first.");
        }

        return ForwardPrefix(_layers.Length, input, batch, context);
    }

    /// <summary>
    /// Runs the first <paramref name="layers"/> layers forward on <paramref name="batch"/> raw rows (at most
    /// <see cref="MaxBatch"/>) and returns the last one's output, which is also the input of layer <paramref name="layers"/>.
    /// </summary>
    public ReadOnlySpan<float> ForwardPrefix(int layers, ReadOnlySpan<float> input, int batch, LayerContext context)
        => ForwardPass.Run(_layers.AsSpan(0, layers), _activations, _inputSize, _store.InputMean, _store.InputScale, input, batch, context);

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (the loss gradient w.r.t. the last forward
    /// pass's output) and adds every parameter gradient into the store's gradients, or writes them when
    /// <see cref="LayerContext.AccumulateGradients"/> is false.
    /// </summary>
    public void Backward(ReadOnlySpan<float> outputGradient, int batch, LayerContext context)
    {
        var outputSize = _layers[^1].OutputSize;
        outputGradient[..(batch * outputSize)].CopyTo(_gradientA);
        var current = _gradientA;
        var next = _gradientB;
        for (var l = _layers.Length - 1; l >= 0; l--)
        {
            var layer = _layers[l];
            var input = _activations[l].AsSpan(0, batch * layer.InputSize);
            var output = _activations[l + 1].AsSpan(0, batch * layer.OutputSize);
            var inputGradient = l == 0 ? Span<float>.Empty : next.AsSpan(0, batch * layer.InputSize);
            layer.Backward(input, output, current.AsSpan(0, batch * layer.OutputSize), inputGradient, batch, context);
            (current, next) = (next, current);
        }
    }

    /// <summary>
    /// The output <c>[batch, OutputSize]</c> of layer <paramref name="layer"/> in the last forward pass
    /// (<paramref name="layer"/> = −1 gives the standardized input). Valid until the next forward pass.
    /// </summary>
    public ReadOnlySpan<float> LayerOutput(int layer, int batch)
        => _activations[layer + 1].AsSpan(0, batch * (layer < 0 ? _inputSize : _layers[layer].OutputSize));
}
