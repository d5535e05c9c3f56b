using MlNetDeep.Compute;
using MlNetDeep.Layers;
using MlNetDeep.Losses;

namespace MlNetDeep.Diagnostics;

/// <summary>
/// Collects <see cref="LayerDiagnostics"/> while <see cref="Training.NetworkTrainer"/> trains: the trainer calls
/// <see cref="BeginEpoch"/>, then <see cref="ObserveStep"/> after every backward pass (before clipping and the
/// optimizer step, while the layers' outputs of that batch are still in the workspace), then
/// <see cref="EndEpoch"/>. It only reads the network, so training with diagnostics gives the same weights as
/// without; it allocates its buffers up front, so steps allocate nothing.
/// </summary>
internal sealed class DiagnosticsCollector
{
    private readonly SequentialNetwork _network;
    private readonly DiagnosticsSettings _settings;
    private readonly BlockStatistics[] _blocks;
    private readonly (TensorView Mean, TensorView Variance)?[] _runningStatistics;
    private readonly float[] _scratch;
    private readonly List<LayerDiagnostics> _records = [];
    private int _batchesThisEpoch;

    /// <summary>Prepares to observe <paramref name="network"/> on batches of up to <paramref name="maxBatch"/> rows.</summary>
    public DiagnosticsCollector(SequentialNetwork network, DiagnosticsSettings settings, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _network = network;
        _settings = settings;
        var hidden = network.HiddenBlocks;
        _blocks = new BlockStatistics[hidden.Count];
        _runningStatistics = new (TensorView, TensorView)?[hidden.Count];
        for (var i = 0; i < hidden.Count; i++)
        {
            var block = hidden[i].Index;
            var tensors = network.ParameterTensors.Where(t => t.Block == block).ToArray();
            _blocks[i] = new BlockStatistics(
                hidden[i],
                tensors.Select(t => (t.View.Offset, t.View.Length)).ToArray(),
                tensors.Single(t => t.Spec.Role == ParameterRole.Weight).View,
                settings.SaturationMargin);
            var mean = network.BufferTensors.FirstOrDefault(t => t.Block == block && t.Spec.Role == ParameterRole.RunningMean);
            var variance = network.BufferTensors.FirstOrDefault(t => t.Block == block && t.Spec.Role == ParameterRole.RunningVariance);
            _runningStatistics[i] = mean is null || variance is null ? null : (mean.View, variance.View);
        }

        _scratch = new float[maxBatch * hidden.Select(b => b.Units).DefaultIfEmpty(0).Max()];
    }

    /// <summary>Clears the sums at the start of an epoch.</summary>
    public void BeginEpoch()
    {
        _batchesThisEpoch = 0;
        foreach (var block in _blocks)
        {
            block.Reset();
        }
    }

    /// <summary>
    /// Adds the step just back-propagated (<paramref name="batch"/> rows) unless the epoch's sample of
    /// <see cref="DiagnosticsSettings.SampledBatchesPerEpoch"/> batches is already full.
    /// </summary>
    public void ObserveStep(int batch)
    {
        if (_settings.SampledBatchesPerEpoch > 0 && _batchesThisEpoch >= _settings.SampledBatchesPerEpoch)
        {
            return;
        }

        _batchesThisEpoch++;
        foreach (var block in _blocks)
        {
            block.Observe(
                _network.LayerOutput(block.Block.PreActivationLayer, batch),
                _network.LayerOutput(block.Block.ActivationLayer, batch),
                batch,
                _network.Gradients,
                _scratch);
        }
    }

    /// <summary>Records every block's statistics for <paramref name="epoch"/>.</summary>
    public void EndEpoch(int epoch)
    {
        for (var i = 0; i < _blocks.Length; i++)
        {
            _records.Add(_blocks[i].Result(epoch, _network.Spec.HiddenLayers[i].Normalization, _runningStatistics[i]));
        }
    }

    /// <summary>
    /// Records epoch 0: one training-mode forward and backward pass over <paramref name="batch"/> rows of
    /// <paramref name="input"/> with the initial weights. Dropout draws from a stream of its own seeded by
    /// <paramref name="seed"/>; the running statistics are restored and the gradients cleared afterwards, so
    /// the training that follows is unchanged.
    /// </summary>
    public void MeasureInitialState(
        InputRows input,
        ReadOnlySpan<float> targets,
        ReadOnlySpan<float> weights,
        int batch,
        LossFunction loss,
        Span<float> outputGradient,
        int threads,
        long seed)
    {
        ArgumentNullException.ThrowIfNull(loss);
        var buffers = (float[])_network.Buffers.Clone();
        var context = new LayerContext(new RandomGenerator(seed ^ 0x1D1A6C05L), threads) { Training = true };
        BeginEpoch();
        _network.ZeroGradients();
        var output = _network.Forward(input, batch, context);
        var gradient = outputGradient[..(batch * _network.Spec.RawOutputSize)];
        loss.LossAndGradient(output, targets[..batch], weights.IsEmpty ? weights : weights[..batch], batch, gradient);
        _network.Backward(gradient, batch, context);
        ObserveStep(batch);
        buffers.CopyTo(_network.Buffers, 0);
        _network.ZeroGradients();
        EndEpoch(0);
    }

    /// <summary>Everything recorded so far.</summary>
    public TrainingDiagnostics Result() => new(_records);
}
