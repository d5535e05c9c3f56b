using System.Numerics.Tensors;
using MlNetDeep.Compute;

namespace MlNetDeep.Layers;

/// <summary>
/// Runs a list of layers forward through a workspace of per-layer output buffers: the whole batch layer by layer in
/// training, and at inference the runs of rowwise layers (normalization, activation, dropout, a dense layer's bias) block
/// by block of rows, each block carried through the run while it is in the cache and the blocks shared out among threads.
/// Each row gets exactly the values of a whole-batch pass. The <see cref="TrainingExecutor"/>, the
/// <see cref="InferencePlan"/> and <see cref="BatchNormRecalibration"/> all run their passes here.
/// </summary>
internal static class ForwardPass
{
    /// <summary>Batches below this many values run their rowwise layers on one thread.</summary>
    internal const int RowwiseThreadedValues = 16 * 1024;

    /// <summary>About this many values of a layer's output make one block of rows (16 KB, so a block stays in the L1 cache from layer to layer).</summary>
    private const int RowBlockValues = 4 * 1024;

    /// <summary>
    /// Allocates the output buffers of <paramref name="layers"/> for batches of up to <paramref name="maxBatch"/> rows, and
    /// the layers' own caches: entry 0 holds the standardized input, entry <c>l + 1</c> the output of layer <c>l</c>.
    /// </summary>
    public static float[][] AllocateActivations(Layer[] layers, int inputSize, int maxBatch)
    {
        var activations = new float[layers.Length + 1][];
        activations[0] = new float[maxBatch * inputSize];
        for (var l = 0; l < layers.Length; l++)
        {
            layers[l].Allocate(maxBatch);
            activations[l + 1] = new float[maxBatch * layers[l].OutputSize];
        }

        return activations;
    }

    /// <summary>
    /// Runs <paramref name="layers"/> forward on raw rows (standardized first, unless <paramref name="mean"/> is empty:
    /// then the first layer, which must not be rowwise, reads the rows as they are) through the workspace
    /// <paramref name="activations"/>. Dropout layers run under <paramref name="dropoutContext"/> when one is
    /// given (Monte Carlo dropout keeps them active while the rest of the network is in inference mode).
    /// </summary>
    public static ReadOnlySpan<float> Run(
        ReadOnlySpan<Layer> layers,
        float[][] activations,
        int inputSize,
        ReadOnlySpan<float> mean,
        ReadOnlySpan<float> scale,
        ReadOnlySpan<float> input,
        int batch,
        LayerContext context,
        LayerContext? dropoutContext = null)
    {
        ReadOnlySpan<float> first = input[..(batch * inputSize)];
        if (!mean.IsEmpty)
        {
            var standardized = activations[0].AsSpan(0, batch * inputSize);
            for (var r = 0; r < batch; r++)
            {
                var target = standardized.Slice(r * inputSize, inputSize);
                TensorPrimitives.Subtract(input.Slice(r * inputSize, inputSize), mean, target);
                TensorPrimitives.Multiply(target, scale, target);
            }

            first = standardized;
        }

        System.Diagnostics.Debug.Assert(
            layers.IsEmpty || !mean.IsEmpty || context.Training || !layers[0].IsRowwise(ContextFor(layers[0], context, dropoutContext)),
            "A rowwise first layer reads the standardized rows.");
        return RunLayers(layers, activations, first, batch, context, dropoutContext, firstProductDone: false);
    }

    /// <summary>
    /// Runs <paramref name="layers"/> forward when the first one's product (<see cref="Layer.ForwardProduct"/>, for a dense
    /// layer reading sparse rows <see cref="Dense.ForwardProductSparse"/>) is already in <paramref name="activations"/>[1]:
    /// its rowwise finish, then the other layers, as <see cref="Run"/> would.
    /// </summary>
    public static ReadOnlySpan<float> RunAfterFirstProduct(ReadOnlySpan<Layer> layers, float[][] activations, int batch, LayerContext context, LayerContext? dropoutContext = null)
        => RunLayers(layers, activations, [], batch, context, dropoutContext, firstProductDone: true);

    private static ReadOnlySpan<float> RunLayers(
        ReadOnlySpan<Layer> layers,
        float[][] activations,
        ReadOnlySpan<float> first,
        int batch,
        LayerContext context,
        LayerContext? dropoutContext,
        bool firstProductDone)
    {
        for (var l = 0; l < layers.Length; l++)
        {
            var layer = layers[l];
            var layerContext = ContextFor(layer, context, dropoutContext);
            if (l == 0 && firstProductDone)
            {
                if (!context.Training && layer.HasRowwiseFinish)
                {
                    l = RunRowwise(layers, activations, l, batch, context, dropoutContext, finishFirst: true);
                }
                else if (layer.HasRowwiseFinish)
                {
                    layer.FinishRows(activations[1].AsSpan(0, batch * layer.OutputSize), batch);
                }

                continue;
            }

            if (!context.Training && layer.IsRowwise(layerContext))
            {
                l = RunRowwise(layers, activations, l, batch, context, dropoutContext, finishFirst: false);
                continue;
            }

            var layerInput = l == 0 ? first : activations[l].AsSpan(0, batch * layer.InputSize);
            var layerOutput = activations[l + 1].AsSpan(0, batch * layer.OutputSize);
            if (!context.Training && layer.HasRowwiseFinish)
            {
                layer.ForwardProduct(layerInput, layerOutput, batch, layerContext);
                l = RunRowwise(layers, activations, l, batch, context, dropoutContext, finishFirst: true);
                continue;
            }

            layer.Forward(layerInput, layerOutput, batch, layerContext);
        }

        return layers.IsEmpty ? first : activations[layers.Length].AsSpan(0, batch * layers[^1].OutputSize);
    }

    /// <summary>The context <paramref name="layer"/> runs under: the dropout context for dropout layers when there is one, else <paramref name="context"/>.</summary>
    private static LayerContext ContextFor(Layer layer, LayerContext context, LayerContext? dropoutContext)
        => dropoutContext is not null && layer is (Dropout or AlphaDropout) ? dropoutContext : context;

    /// <summary>
    /// Runs the rowwise layers from <paramref name="start"/> on (an inference pass: normalization, activation, dropout) block
    /// by block of rows, every block carried through all of them while it is in the cache, the blocks shared out among the
    /// threads; with <paramref name="finishFirst"/>, layer <paramref name="start"/> has run its product and each block
    /// starts with its rowwise finish. Each row gets exactly the values of a whole-batch pass. Returns the index of the
    /// last layer run.
    /// </summary>
    private static int RunRowwise(ReadOnlySpan<Layer> layers, float[][] activations, int start, int batch, LayerContext context, LayerContext? dropoutContext, bool finishFirst)
    {
        var last = start;
        var width = finishFirst ? layers[start].OutputSize : layers[start].InputSize;
        for (var l = finishFirst ? start + 1 : start; l < layers.Length; l++)
        {
            var layerContext = ContextFor(layers[l], context, dropoutContext);
            if (!layers[l].IsRowwise(layerContext))
            {
                break;
            }

            layers[l].BeginRowwiseForward(layerContext);
            width = Math.Max(width, layers[l].OutputSize);
            last = l;
        }

        var rowsPerBlock = Math.Max(1, RowBlockValues / width);
        var blocks = (batch + rowsPerBlock - 1) / rowsPerBlock;
        var threads = (long)batch * width < RowwiseThreadedValues ? 1 : context.Threads;
        var work = new RowwiseForward(layers, activations, start, last, batch, rowsPerBlock, finishFirst);
        WorkerPool.Shared.Run(blocks, threads, ref work);
        return last;
    }

    /// <summary>Part i carries block i of rows through layers first…last (the first's rowwise finish only, when it has run its product).</summary>
    private readonly ref struct RowwiseForward : IParallelWork
    {
        private readonly ReadOnlySpan<Layer> _layers;
        private readonly float[][] _activations;
        private readonly int _first;
        private readonly int _last;
        private readonly int _batch;
        private readonly int _rowsPerBlock;
        private readonly bool _finishFirst;

        public RowwiseForward(ReadOnlySpan<Layer> layers, float[][] activations, int first, int last, int batch, int rowsPerBlock, bool finishFirst)
        {
            _layers = layers;
            _activations = activations;
            _first = first;
            _last = last;
            _batch = batch;
            _rowsPerBlock = rowsPerBlock;
            _finishFirst = finishFirst;
        }

        public void Execute(int part)
        {
            var row = part * _rowsPerBlock;
            var rows = Math.Min(_rowsPerBlock, _batch - row);
            if (_finishFirst)
            {
                var width = _layers[_first].OutputSize;
                _layers[_first].FinishRows(_activations[_first + 1].AsSpan(row * width, rows * width), rows);
            }

            for (var l = _finishFirst ? _first + 1 : _first; l <= _last; l++)
            {
                var layer = _layers[l];
                layer.ForwardRows(
                    _activations[l].AsSpan(row * layer.InputSize, rows * layer.InputSize),
                    _activations[l + 1].AsSpan(row * layer.OutputSize, rows * layer.OutputSize),
                    rows);
            }
        }
    }
}
