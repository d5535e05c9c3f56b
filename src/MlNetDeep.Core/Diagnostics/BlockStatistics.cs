using System.Numerics.Tensors;
using MlNetDeep.ActivationFunctions;
using MlNetDeep.Layers;

namespace MlNetDeep.Diagnostics;

/// <summary>
/// The running sums of one hidden block over one epoch: moments of its pre-activations and activations,
/// the per-unit maximum that decides dead units, the saturated count and the gradient norms. Every buffer is
/// allocated once, so observing a step allocates nothing.
/// </summary>
internal sealed class BlockStatistics
{
    private readonly (int Offset, int Length)[] _parameterRanges;
    private readonly float[] _unitMaximum;
    private readonly DeadUnitRule _dead;
    private readonly (float Lower, float Upper)? _saturation;
    private readonly float _margin;
    private Moments _preActivation;
    private Moments _activation;
    private long _saturated;
    private double _gradientNormSum;
    private int _steps;

    /// <summary>Prepares the sums for <paramref name="block"/>, whose parameters are <paramref name="parameterRanges"/>.</summary>
    public BlockStatistics(HiddenBlock block, (int Offset, int Length)[] parameterRanges, TensorView weight, float saturationMargin)
    {
        Block = block;
        _parameterRanges = parameterRanges;
        Weight = weight;
        WeightAtStart = new float[weight.Length];
        _unitMaximum = new float[block.Units];
        var activation = ActivationRegistry.Get(block.Activation);
        _dead = activation.DeadUnits;
        _saturation = activation.Saturation;
        _margin = saturationMargin;
    }

    /// <summary>The block observed.</summary>
    public HiddenBlock Block { get; }

    /// <summary>The block's dense weight.</summary>
    public TensorView Weight { get; }

    /// <summary>A copy of <see cref="Weight"/> taken at the start of the epoch.</summary>
    public float[] WeightAtStart { get; }

    /// <summary>Rows observed this epoch.</summary>
    public long Rows => _preActivation.Count / Block.Units;

    /// <summary>Clears the sums and remembers the weight, at the start of an epoch.</summary>
    public void Reset()
    {
        _preActivation = default;
        _activation = default;
        _saturated = 0;
        _gradientNormSum = 0;
        _steps = 0;
        _unitMaximum.AsSpan().Fill(float.NegativeInfinity);
        Weight.Span.CopyTo(WeightAtStart);
    }

    /// <summary>
    /// Adds one step: the block's <paramref name="preActivation"/> and <paramref name="activation"/>
    /// <c>[batch, units]</c> and the gradient in <paramref name="gradients"/>; <paramref name="scratch"/> holds at
    /// least <c>batch · units</c> values.
    /// </summary>
    public void Observe(ReadOnlySpan<float> preActivation, ReadOnlySpan<float> activation, int batch, float[] gradients, float[] scratch)
    {
        _preActivation.Add(preActivation, scratch);
        _activation.Add(activation, scratch);
        var units = Block.Units;
        if (_dead != DeadUnitRule.None)
        {
            var source = _dead == DeadUnitRule.Output ? activation : preActivation;
            for (var r = 0; r < batch; r++)
            {
                TensorPrimitives.Max(source.Slice(r * units, units), _unitMaximum, _unitMaximum);
            }
        }
        else if (_saturation is var (lower, upper))
        {
            // Within the margin of either asymptote; the bounds are exact in float (0, ±1 and the margin).
            var low = lower + _margin;
            var high = upper - _margin;
            foreach (var y in activation)
            {
                _saturated += y <= low || y >= high ? 1 : 0;
            }
        }

        double squares = 0;
        foreach (var (offset, length) in _parameterRanges)
        {
            squares += TensorPrimitives.SumOfSquares<float>(gradients.AsSpan(offset, length));
        }

        _gradientNormSum += Math.Sqrt(squares);
        _steps++;
    }

    /// <summary>The epoch's record, read after the epoch's last step; <paramref name="runningStatistics"/> are batch norm's buffers.</summary>
    public LayerDiagnostics Result(int epoch, Normalization normalization, (TensorView Mean, TensorView Variance)? runningStatistics)
    {
        var weight = Weight.Span;
        var weightNorm = (double)TensorPrimitives.Norm<float>(weight);
        double? updateRatio = epoch == 0 ? null : TensorPrimitives.Distance<float>(weight, WeightAtStart) / weightNorm;
        double? dead = null;
        if (_dead != DeadUnitRule.None)
        {
            var count = 0;
            foreach (var maximum in _unitMaximum)
            {
                count += maximum <= 0 ? 1 : 0;
            }

            dead = count / (double)Block.Units;
        }

        double? saturated = _saturation is not null
            ? _saturated / (double)Math.Max(_activation.Count, 1)
            : null;
        return new LayerDiagnostics(
            epoch,
            Block.Index,
            Block.Activation,
            normalization,
            Block.Units,
            Rows,
            _preActivation.Mean,
            _preActivation.StandardDeviation,
            _activation.Mean,
            _activation.StandardDeviation,
            _steps == 0 ? double.NaN : _gradientNormSum / _steps,
            weightNorm,
            updateRatio,
            dead,
            saturated,
            runningStatistics is { } s ? TensorPrimitives.Sum<float>(s.Mean.Span) / (double)s.Mean.Length : null,
            runningStatistics is { } t ? TensorPrimitives.Sum<float>(t.Variance.Span) / (double)t.Variance.Length : null);
    }

    /// <summary>
    /// Count, mean and sum of squared deviations in double, each batch's own moments taken about the batch
    /// mean (so a large mean does not swamp a small spread) and merged by Chan's formula.
    /// </summary>
    private struct Moments
    {
        public long Count;
        public double Mean;
        public double SquaredDeviations;

        public readonly double StandardDeviation => Count == 0 ? double.NaN : Math.Sqrt(SquaredDeviations / Count);

        public void Add(ReadOnlySpan<float> values, float[] scratch)
        {
            if (values.IsEmpty)
            {
                return;
            }

            var n = values.Length;
            var batchMean = TensorPrimitives.Sum(values) / n;
            var deviations = scratch.AsSpan(0, n);
            TensorPrimitives.Subtract(values, batchMean, deviations);
            var correction = TensorPrimitives.Sum<float>(deviations) / (double)n;
            var batchSquares = TensorPrimitives.SumOfSquares<float>(deviations) - (n * correction * correction);
            var mean = batchMean + correction;
            var total = Count + n;
            var delta = mean - Mean;
            Mean += delta * n / total;
            SquaredDeviations += Math.Max(batchSquares, 0) + (delta * delta * Count * n / total);
            Count = total;
        }
    }
}
