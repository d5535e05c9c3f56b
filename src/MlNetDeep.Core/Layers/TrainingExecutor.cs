namespace MlNetDeep.Layers;

/// <summary>
/// Runs a network's own layers (bound to its <see cref="ParameterStore"/>) forward and backward over mini-batches,
/// through a workspace allocated once for the largest batch: the output of every layer, kept for backward, and two
/// input-gradient buffers that backward swaps between.
/// </summary>
/// <remarks>
/// Sparse rows (<see cref="InputRows.IsSparse"/>) go straight into the first layer, which must be a dense layer: the
/// rows are scaled by the input scale (the input mean must be zero, so zeros stay zero) into a CSR copy in the
/// workspace, the dense layer's product and, in backward, its weight gradient run over their non-zeros, and the first
/// layer computes no input gradient in either case.
/// </remarks>
internal sealed class TrainingExecutor
{
    private readonly Layer[] _layers;
    private readonly ParameterStore _store;
    private readonly int _inputSize;
    private readonly int _firstTrainable;
    private float[][] _activations = [];
    private float[] _gradientA = [];
    private float[] _gradientB = [];
    private float[] _sparseValues = [];
    private int[] _sparseIndices = [];
    private int[] _sparseRowStarts = [];
    private bool _sparseInput;

    /// <summary>Runs <paramref name="layers"/>, bound to <paramref name="store"/>, on rows of <paramref name="inputSize"/> raw features.</summary>
    public TrainingExecutor(Layer[] layers, ParameterStore store, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(store);
        _layers = layers;
        _store = store;
        _inputSize = inputSize;
        _firstTrainable = Math.Max(0, Array.FindIndex(layers, layer => layer.Parameters.Count > 0));
    }

    /// <summary>The most rows one pass takes, as allocated (0 before <see cref="Allocate"/>).</summary>
    public int MaxBatch { get; private set; }

    /// <summary>
    /// Allocates the workspace for mini-batches of up to <paramref name="maxBatch"/> rows and, for sparse rows, up to
    /// <paramref name="maxNonZeros"/> non-zeros per batch.
    /// </summary>
    public void Allocate(int maxBatch, int maxNonZeros = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxNonZeros);
        MaxBatch = maxBatch;
        _sparseValues = new float[maxNonZeros];
        _sparseIndices = new int[maxNonZeros];
        _sparseRowStarts = new int[maxBatch + 1];
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
    public ReadOnlySpan<float> Forward(InputRows input, int batch, LayerContext context)
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
    public ReadOnlySpan<float> ForwardPrefix(int layers, InputRows input, int batch, LayerContext context)
    {
        _sparseInput = input.IsSparse;
        if (!input.IsSparse)
        {
            return ForwardPass.Run(_layers.AsSpan(0, layers), _activations, _inputSize, _store.InputMean, _store.InputScale, input.Dense, batch, context);
        }

        if (layers < 1 || _layers[0] is not Dense first)
        {
            throw new InvalidOperationException($"Sparse rows go straight into a first dense layer; this pass runs {layers} layers{(layers < 1 ? "" : $" from a {_layers[0].GetType().Name}")}.");
        }

        ScaleSparseInput(input, batch);
        first.ForwardProductSparse(_sparseValues, _sparseIndices, _sparseRowStarts, _activations[1], batch, context);
        return ForwardPass.RunAfterFirstProduct(_layers.AsSpan(0, layers), _activations, batch, context);
    }

    /// <summary>
    /// Copies the <paramref name="batch"/> sparse rows into the workspace, from offset 0, each value times its feature's
    /// input scale: the standardization <c>(x − mean)·scale</c> with the zero mean that keeps zeros zero.
    /// </summary>
    private void ScaleSparseInput(InputRows input, int batch)
    {
        var mean = _store.InputMean;
        if (System.Numerics.Tensors.TensorPrimitives.MaxMagnitude<float>(mean) != 0f)
        {
            throw new InvalidOperationException("Sparse rows are scaled without centering, so the network's input mean must be zero.");
        }

        var start = input.RowStarts[0];
        var count = input.RowStarts[batch] - start;
        if (count > _sparseValues.Length || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(input), $"A batch of {batch} sparse rows with {count} non-zeros exceeds the allocated {MaxBatch} rows and {_sparseValues.Length} non-zeros; call Allocate first.");
        }

        var scale = _store.InputScale;
        for (var r = 0; r <= batch; r++)
        {
            _sparseRowStarts[r] = input.RowStarts[r] - start;
        }

        var values = input.Values.Slice(start, count);
        var indices = input.Indices.Slice(start, count);
        for (var p = 0; p < count; p++)
        {
            var column = indices[p];
            _sparseIndices[p] = column;
            _sparseValues[p] = values[p] * scale[column];
        }
    }

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (the loss gradient w.r.t. the last forward
    /// pass's output) and adds every parameter gradient into the store's gradients, or writes them when
    /// <see cref="LayerContext.AccumulateGradients"/> is false. The first layer with parameters computes no input
    /// gradient and the layers before it (input transform, input dropout, the ensemble's expansion) no backward pass.
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
            if (l == 0 && _sparseInput)
            {
                ((Dense)layer).BackwardSparse(_sparseValues, _sparseIndices, _sparseRowStarts, current.AsSpan(0, batch * layer.OutputSize), batch, context);
                break;
            }

            // No gradient flows past the first layer with parameters: the layers before it have nothing to learn.
            if (l < _firstTrainable)
            {
                break;
            }

            var inputGradient = l <= _firstTrainable ? Span<float>.Empty : next.AsSpan(0, batch * layer.InputSize);
            layer.Backward(input, output, current.AsSpan(0, batch * layer.OutputSize), inputGradient, batch, context);
            (current, next) = (next, current);
        }
    }

    /// <summary>
    /// The output <c>[batch, OutputSize]</c> of layer <paramref name="layer"/> in the last forward pass
    /// (<paramref name="layer"/> = −1 gives the standardized input of a dense pass). Valid until the next forward pass.
    /// </summary>
    public ReadOnlySpan<float> LayerOutput(int layer, int batch)
        => _activations[layer + 1].AsSpan(0, batch * (layer < 0 ? _inputSize : _layers[layer].OutputSize));
}
