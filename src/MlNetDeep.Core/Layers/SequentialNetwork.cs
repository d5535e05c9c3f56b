using MlNetDeep.ActivationFunctions;
using MlNetDeep.Compute;
using MlNetDeep.Initializers;
using MlNetDeep.Training;

namespace MlNetDeep.Layers;

/// <summary>A tensor of the network with its state-dict name (<c>layers.0.weight</c>, …) and its view.</summary>
internal sealed record NamedTensor(string Name, ParameterSpec Spec, TensorView View);

/// <summary>
/// A feed-forward network built from a <see cref="NetworkSpec"/>: input standardization, optional input
/// dropout, hidden blocks (Dense → BatchNorm/LayerNorm → activation → dropout) and a task-specific output
/// layer. All learnable parameters live in one contiguous array (<see cref="Parameters"/>), their gradients
/// in another (<see cref="Gradients"/>) and the running statistics in a third (<see cref="Buffers"/>), so
/// an optimizer step is one pass and a checkpoint is three array copies.
/// </summary>
/// <remarks>
/// State-dict names follow the block index: block <c>i</c>'s dense layer is <c>layers.i.weight</c> and
/// <c>layers.i.bias</c>, its normalization <c>layers.i.gamma</c>, <c>layers.i.beta</c>,
/// <c>layers.i.running_mean</c>, <c>layers.i.running_var</c>, its PReLU slopes <c>layers.i.alpha</c>; the
/// output layer comes last. Input standardization is <c>input.mean</c> and <c>input.scale</c>
/// (<c>x' = (x − mean) · scale</c>); regression targets are predicted as <c>y = target.mean + target.std · ŷ</c>.
/// </remarks>
internal sealed class SequentialNetwork
{
    private readonly Layer[] _layers;
    private readonly List<NamedTensor> _parameterTensors = [];
    private readonly List<NamedTensor> _bufferTensors = [];
    private float[][] _activations = [];
    private float[] _gradientA = [];
    private float[] _gradientB = [];
    private int _maxBatch;

    private SequentialNetwork(NetworkSpec spec, float[] parameters, float[] buffers)
    {
        Spec = spec;
        (_layers, var parameterSpecs, var bufferSpecs) = BuildLayers(spec);
        Parameters = parameters;
        Gradients = new float[parameters.Length];
        Buffers = buffers;
        Bind(_layers, parameterSpecs, bufferSpecs, Parameters, Gradients, Buffers, _parameterTensors, _bufferTensors);
    }

    /// <summary>The architecture.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>All learnable parameters, contiguous, in layout order.</summary>
    public float[] Parameters { get; }

    /// <summary>The gradients of <see cref="Parameters"/>, same layout.</summary>
    public float[] Gradients { get; }

    /// <summary>Non-learned state: input standardization, target scaling and running statistics.</summary>
    public float[] Buffers { get; }

    /// <summary>The learnable tensors with their state-dict names.</summary>
    public IReadOnlyList<NamedTensor> ParameterTensors => _parameterTensors;

    /// <summary>The buffers with their state-dict names.</summary>
    public IReadOnlyList<NamedTensor> BufferTensors => _bufferTensors;

    /// <summary>The layers in forward order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Per-feature shift of the input standardization, <c>[InputSize]</c>.</summary>
    public Span<float> InputMean => Buffers.AsSpan(0, Spec.InputSize);

    /// <summary>Per-feature scale of the input standardization, <c>[InputSize]</c>.</summary>
    public Span<float> InputScale => Buffers.AsSpan(Spec.InputSize, Spec.InputSize);

    /// <summary>Mean of the regression target (0 for classification).</summary>
    public ref float TargetMean => ref Buffers[2 * Spec.InputSize];

    /// <summary>Standard deviation of the regression target (1 for classification).</summary>
    public ref float TargetStd => ref Buffers[(2 * Spec.InputSize) + 1];

    /// <summary>
    /// Builds a network and draws its initial weights from <paramref name="seed"/>: the same spec and seed
    /// give the same values. Input standardization starts as the identity.
    /// </summary>
    public static SequentialNetwork Create(NetworkSpec spec, long seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var (_, parameterSpecs, bufferSpecs) = BuildLayers(spec);
        var network = new SequentialNetwork(spec, new float[TotalLength(parameterSpecs)], new float[TotalLength(bufferSpecs)]);
        network.InitializeParameters(new RandomGenerator(seed));
        return network;
    }

    /// <summary>Rebuilds a network from its spec and the values of its parameters and buffers (checked for size).</summary>
    public static SequentialNetwork FromValues(NetworkSpec spec, float[] parameters, float[] buffers)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var (_, parameterSpecs, bufferSpecs) = BuildLayers(spec);
        if (parameters.Length != TotalLength(parameterSpecs) || buffers.Length != TotalLength(bufferSpecs))
        {
            throw new InvalidDataException(
                $"The stored network has {parameters.Length} parameters and {buffers.Length} buffer values; its architecture needs {TotalLength(parameterSpecs)} and {TotalLength(bufferSpecs)}.");
        }

        return new SequentialNetwork(spec, parameters, buffers);
    }

    /// <summary>Allocates the training workspace for mini-batches of up to <paramref name="maxBatch"/> rows.</summary>
    public void Allocate(int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _maxBatch = maxBatch;
        (_activations, _gradientA, _gradientB) = AllocateWorkspace(_layers, Spec.InputSize, maxBatch);
    }

    /// <summary>
    /// Runs the forward pass on <paramref name="batch"/> raw rows (standardized here) and returns the
    /// output layer's values <c>[batch, OutputSize]</c>: logits for classification, the standardized
    /// target for regression. The span stays valid until the next forward pass.
    /// </summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> input, int batch, LayerContext context)
    {
        if (batch > _maxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), $"Batch of {batch} rows exceeds the allocated {_maxBatch}; call Allocate first.");
        }

        return RunForward(_layers, _activations, Spec.InputSize, InputMean, InputScale, input, batch, context);
    }

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (the loss gradient w.r.t. the last forward
    /// pass's output) and adds every parameter gradient into <see cref="Gradients"/>, or writes them when
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
    /// Replaces every batch-norm layer's running statistics by population statistics: the exact mean and
    /// unbiased variance of its input over all rows that <paramref name="batches"/> yields, in inference
    /// mode. Layers are done in order, each after the ones before it are final.
    /// </summary>
    /// <param name="batches">Yields raw input batches (rows, row count); enumerated once per batch-norm layer.</param>
    /// <param name="context">The context to run under (switched to inference for the passes).</param>
    public void ReplaceRunningStatisticsWithPopulationStatistics(Func<IEnumerable<(float[] Rows, int Count)>> batches, LayerContext context)
    {
        var training = context.Training;
        context.Training = false;
        for (var l = 0; l < _layers.Length; l++)
        {
            if (_layers[l] is not BatchNorm batchNorm)
            {
                continue;
            }

            batchNorm.BeginPopulationStatistics();
            foreach (var (rows, count) in batches())
            {
                for (var start = 0; start < count; start += _maxBatch)
                {
                    var batch = Math.Min(_maxBatch, count - start);
                    RunForward(_layers.AsSpan(0, l), _activations, Spec.InputSize, InputMean, InputScale, rows.AsSpan(start * Spec.InputSize, batch * Spec.InputSize), batch, context);
                    batchNorm.AccumulatePopulationStatistics(_activations[l].AsSpan(0, batch * batchNorm.InputSize), batch);
                }
            }

            batchNorm.EndPopulationStatistics();
        }

        context.Training = training;
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients() => Array.Clear(Gradients);

    /// <summary>
    /// Creates an inference scorer with buffers of its own, so several can run at once. It copies the dense layers'
    /// values as they are now, 64-byte aligned, with batch normalization and input standardization folded into them (see
    /// <see cref="InferenceFolding"/>), so a scorer holds about as much memory as the network's weights; create a new one
    /// after the network changes.
    /// </summary>
    /// <param name="maxBatch">The most rows one forward pass takes; larger requests are split.</param>
    /// <param name="threads">Threads the scorer's kernels may use.</param>
    public NetworkScorer CreateScorer(int maxBatch = 256, int threads = 1)
    {
        var (layers, parameterSpecs, bufferSpecs) = BuildLayers(Spec);
        Bind(layers, parameterSpecs, bufferSpecs, Parameters, new float[Parameters.Length], Buffers, [], []);
        return new NetworkScorer(this, layers, maxBatch, threads);
    }

    /// <summary>The parameters and buffers by state-dict name, as copies.</summary>
    public IReadOnlyDictionary<string, float[]> GetStateDictionary()
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var tensor in _parameterTensors.Concat(_bufferTensors))
        {
            result[tensor.Name] = tensor.View.Span.ToArray();
        }

        return result;
    }

    /// <summary>The state-dict name of every learnable tensor with whether weight decay applies to it.</summary>
    public IReadOnlyList<(int Offset, int Length)> DecayedRanges()
        => _parameterTensors.Where(t => t.Spec.IsDecayed).Select(t => (t.View.Offset, t.View.Length)).ToArray();

    /// <summary>
    /// The output <c>[batch, OutputSize]</c> of layer <paramref name="layer"/> in the last forward pass
    /// (<paramref name="layer"/> = −1 gives the standardized input). Valid until the next forward pass.
    /// </summary>
    internal ReadOnlySpan<float> LayerOutput(int layer, int batch)
        => _activations[layer + 1].AsSpan(0, batch * (layer < 0 ? Spec.InputSize : _layers[layer].OutputSize));

    /// <summary>
    /// Runs <paramref name="layers"/> forward on raw rows (standardized first, unless <paramref name="mean"/> is empty:
    /// then the first layer, which must not be rowwise, reads the rows as they are) through the workspace
    /// <paramref name="activations"/>. Dropout layers run under <paramref name="dropoutContext"/> when one is
    /// given (Monte Carlo dropout keeps them active while the rest of the network is in inference mode).
    /// </summary>
    internal static ReadOnlySpan<float> RunForward(
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
                System.Numerics.Tensors.TensorPrimitives.Subtract(input.Slice(r * inputSize, inputSize), mean, target);
                System.Numerics.Tensors.TensorPrimitives.Multiply(target, scale, target);
            }

            first = standardized;
        }

        for (var l = 0; l < layers.Length; l++)
        {
            var layer = layers[l];
            var layerContext = ContextFor(layer, context, dropoutContext);
            if (!context.Training && layer.IsRowwise(layerContext))
            {
                System.Diagnostics.Debug.Assert(l > 0 || !mean.IsEmpty, "A rowwise first layer reads the standardized rows.");
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

    /// <summary>Batches below this many values run their rowwise layers on one thread.</summary>
    internal const int RowwiseThreadedValues = 16 * 1024;

    /// <summary>About this many values of a layer's output make one block of rows (16 KB, so a block stays in the L1 cache from layer to layer).</summary>
    private const int RowBlockValues = 4 * 1024;

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

    internal static (float[][] Activations, float[] GradientA, float[] GradientB) AllocateWorkspace(Layer[] layers, int inputSize, int maxBatch)
    {
        var activations = new float[layers.Length + 1][];
        activations[0] = new float[maxBatch * inputSize];
        var widest = inputSize;
        for (var l = 0; l < layers.Length; l++)
        {
            layers[l].Allocate(maxBatch);
            activations[l + 1] = new float[maxBatch * layers[l].OutputSize];
            widest = Math.Max(widest, layers[l].OutputSize);
        }

        return (activations, new float[maxBatch * widest], new float[maxBatch * widest]);
    }

    private static (Layer[] Layers, List<(int Block, ParameterSpec Spec, Layer? Layer)> Parameters, List<(int Block, ParameterSpec Spec, Layer? Layer)> Buffers) BuildLayers(NetworkSpec spec)
    {
        var layers = new List<(int Block, Layer Layer)>();
        if (spec.InputDropoutRate > 0)
        {
            layers.Add((-1, new Dropout(spec.InputSize, spec.InputDropoutRate)));
        }

        var width = spec.InputSize;
        for (var i = 0; i < spec.HiddenLayers.Count; i++)
        {
            var block = spec.HiddenLayers[i];
            layers.Add((i, new Dense(width, block.Units, useBias: block.Normalization != Normalization.BatchNorm)));
            switch (block.Normalization)
            {
                case Normalization.BatchNorm:
                    layers.Add((i, new BatchNorm(block.Units)));
                    break;
                case Normalization.LayerNorm:
                    layers.Add((i, new LayerNorm(block.Units)));
                    break;
            }

            layers.Add((i, block.Activation == Activation.PReLU
                ? new PReLU(block.Units)
                : new ActivationLayer(block.Units, ActivationFunction.Create(block.Activation, new ActivationSettings { HardSigmoidSlope = spec.HardSigmoidSlope, GeluApproximateTanh = spec.GeluApproximateTanh }))));
            if (block.DropoutRate > 0)
            {
                layers.Add((-1, block.Activation == Activation.SELU
                    ? new AlphaDropout(block.Units, block.DropoutRate)
                    : new Dropout(block.Units, block.DropoutRate)));
            }

            width = block.Units;
        }

        layers.Add((spec.HiddenLayers.Count, new Dense(width, spec.OutputSize, useBias: true)));

        var parameters = new List<(int, ParameterSpec, Layer?)>();
        var buffers = new List<(int, ParameterSpec, Layer?)>
        {
            (-1, new ParameterSpec("input.mean", [spec.InputSize], ParameterRole.RunningMean, 0f), null),
            (-1, new ParameterSpec("input.scale", [spec.InputSize], ParameterRole.RunningVariance, 1f), null),
            (-1, new ParameterSpec("target.mean", [1], ParameterRole.RunningMean, 0f), null),
            (-1, new ParameterSpec("target.std", [1], ParameterRole.RunningVariance, 1f), null),
        };
        foreach (var (block, layer) in layers)
        {
            parameters.AddRange(layer.Parameters.Select(p => (block, p, (Layer?)layer)));
            buffers.AddRange(layer.Buffers.Select(b => (block, b, (Layer?)layer)));
        }

        return (layers.Select(l => l.Layer).ToArray(), parameters, buffers);
    }

    private static int TotalLength(List<(int Block, ParameterSpec Spec, Layer? Layer)> specs) => specs.Sum(s => s.Spec.Length);

    private static void Bind(
        Layer[] layers,
        List<(int Block, ParameterSpec Spec, Layer? Layer)> parameterSpecs,
        List<(int Block, ParameterSpec Spec, Layer? Layer)> bufferSpecs,
        float[] parameters,
        float[] gradients,
        float[] buffers,
        List<NamedTensor> parameterTensors,
        List<NamedTensor> bufferTensors)
    {
        var parameterViews = Lay(parameterSpecs, parameters, parameterTensors);
        var bufferViews = Lay(bufferSpecs, buffers, bufferTensors);
        foreach (var layer in layers)
        {
            var p = parameterViews.Where(v => ReferenceEquals(v.Layer, layer)).ToArray();
            var b = bufferViews.Where(v => ReferenceEquals(v.Layer, layer)).ToArray();
            layer.Bind(
                p.Select(v => v.View).ToArray(),
                p.Select(v => new TensorView(gradients, v.View.Offset, v.View.Length)).ToArray(),
                b.Select(v => v.View).ToArray());
        }
    }

    private static List<(Layer? Layer, TensorView View)> Lay(
        List<(int Block, ParameterSpec Spec, Layer? Layer)> specs,
        float[] storage,
        List<NamedTensor> named)
    {
        var views = new List<(Layer?, TensorView)>();
        var offset = 0;
        foreach (var (block, spec, layer) in specs)
        {
            var view = new TensorView(storage, offset, spec.Length);
            views.Add((layer, view));
            named.Add(new NamedTensor(block < 0 ? spec.Name : $"layers.{block}.{spec.Name}", spec, view));
            offset += spec.Length;
        }

        return views;
    }

    private void InitializeParameters(RandomGenerator random)
    {
        foreach (var tensor in _parameterTensors)
        {
            if (tensor.Spec.Role == ParameterRole.Weight)
            {
                var block = int.Parse(tensor.Name.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
                var activation = block < Spec.HiddenLayers.Count ? Spec.HiddenLayers[block].Activation : Activation.Linear;
                InitializerFactory.Create(Spec.WeightInitializer, activation, Spec.WeightInitializerValue)
                    .Initialize(tensor.View.Span, tensor.Spec.Shape, random);
            }
            else
            {
                tensor.View.Span.Fill(tensor.Spec.InitialValue);
            }
        }

        foreach (var tensor in _bufferTensors)
        {
            tensor.View.Span.Fill(tensor.Spec.InitialValue);
        }
    }
}
