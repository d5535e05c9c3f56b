using MlNetDeep.Compute;

namespace MlNetDeep.Layers;

/// <summary>
/// The layers a scorer runs and how it runs them: a network's layers with batch normalization and, where the features
/// allow, the input standardization folded into the dense layers (<see cref="InferenceFolding"/>), a workspace for
/// batches of up to <see cref="MaxBatch"/> rows, and an inference context with the threads the kernels may use. Passes go
/// through <see cref="ForwardPass"/>, so the rowwise layers run block by block of rows while each block is in the cache.
/// </summary>
/// <remarks>
/// Sparse rows go straight into the first dense layer, over their non-zeros, when the plan starts with one and the
/// standardization is folded into it (every network trained on sparse rows, whose input mean is zero, and most others)
/// and at most <see cref="Training.TrainingDefaults.MaxSparseDensity"/> of the batch's values are non-zero; otherwise
/// they are densified, a batch at a time, into a buffer of the plan's allocated on first need, and scored exactly as the
/// same rows given dense.
/// The folded dense layers own copies of their values; the other layers read the network's parameters in place, and the
/// standardization, when not folded, reads the network's buffers. A plan therefore shows a later change of the
/// network only in the layers that were not folded: make a new plan after the network changes.
/// </remarks>
internal sealed class InferencePlan
{
    private readonly Layer[] _layers;
    private readonly float[][] _activations;
    private readonly ParameterStore _store;
    private readonly int _inputSize;
    private readonly bool _standardizationFolded;
    private float[] _densified = [];

    /// <summary>
    /// Plans inference over <paramref name="stack"/>, a build of the network's spec bound to <paramref name="store"/> (its
    /// parameters and buffers, gradients of its own), for rows of <paramref name="inputSize"/> raw features.
    /// </summary>
    public InferencePlan(LayerStack stack, ParameterStore store, int inputSize, int maxBatch, int threads)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _store = store;
        _inputSize = inputSize;
        _layers = InferenceFolding.Fold(stack.Layers, store.InputMean, store.InputScale, out _standardizationFolded, out var foldedIndex);
        HiddenBlocks = stack.HiddenBlocks
            .Select(b => b with { DenseLayer = foldedIndex[b.DenseLayer], ActivationLayer = foldedIndex[b.ActivationLayer] })
            .ToArray();
        MaxBatch = maxBatch;
        _activations = ForwardPass.AllocateActivations(_layers, inputSize, maxBatch);
        Context = new LayerContext(new RandomGenerator(0), threads) { Training = false };
    }

    /// <summary>The inference layers in forward order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The hidden blocks, with the indices of their layers in <see cref="Layers"/>.</summary>
    public IReadOnlyList<HiddenBlock> HiddenBlocks { get; }

    /// <summary>The most rows one pass takes.</summary>
    public int MaxBatch { get; }

    /// <summary>The inference context the passes run under.</summary>
    public LayerContext Context { get; }

    /// <summary>Whether the input standardization is folded into the first dense layer (the rows then go in as they are).</summary>
    public bool StandardizationFolded => _standardizationFolded;

    /// <summary>Whether sparse rows go straight into the first layer: a dense layer with the standardization folded into it.</summary>
    public bool ReadsSparseRows => _standardizationFolded && _layers.Length > 0 && _layers[0] is Dense;

    /// <summary>
    /// Runs the first <paramref name="layers"/> inference layers on <paramref name="batch"/> raw rows (at most
    /// <see cref="MaxBatch"/>), dense or sparse, dropout under <paramref name="dropoutContext"/> when one is given; returns
    /// the last layer's output, valid until the next pass.
    /// </summary>
    public ReadOnlySpan<float> Run(int layers, InputRows rows, int batch, LayerContext? dropoutContext = null)
    {
        if (rows.IsSparse && layers > 0 && ReadsSparseRows
            && rows.RowStarts[batch] - rows.RowStarts[0] <= Training.TrainingDefaults.MaxSparseDensity * batch * _inputSize)
        {
            ((Dense)_layers[0]).ForwardProductSparse(rows.Values, rows.Indices, rows.RowStarts, _activations[1], batch, Context);
            return ForwardPass.RunAfterFirstProduct(_layers.AsSpan(0, layers), _activations, batch, Context, dropoutContext);
        }

        var dense = rows.Dense;
        if (rows.IsSparse)
        {
            if (_densified.Length == 0)
            {
                _densified = new float[MaxBatch * _inputSize];
            }

            rows.Densify(_densified, batch, _inputSize);
            dense = _densified.AsSpan(0, batch * _inputSize);
        }

        // A folded standardization is in the first dense layer's weights: the rows go in as they are.
        ReadOnlySpan<float> mean = _standardizationFolded ? [] : _store.InputMean;
        ReadOnlySpan<float> scale = _standardizationFolded ? [] : _store.InputScale;
        return ForwardPass.Run(_layers.AsSpan(0, layers), _activations, _inputSize, mean, scale, dense, batch, Context, dropoutContext);
    }

    /// <summary>Runs every inference layer; see <see cref="Run(int, InputRows, int, LayerContext?)"/>.</summary>
    public ReadOnlySpan<float> Run(InputRows rows, int batch, LayerContext? dropoutContext = null)
        => Run(_layers.Length, rows, batch, dropoutContext);
}
