using System.Numerics.Tensors;

namespace MlNetDeep.Layers;

/// <summary>
/// Batch normalization over <c>[batch, units]</c>: each unit is normalized with statistics over the batch,
/// then scaled and shifted, <c>y = γ·(x − μ)/√(σ² + ε) + β</c> (Ioffe and Szegedy; PyTorch <c>BatchNorm1d</c>).
/// </summary>
/// <remarks>
/// <para>Parameters <c>gamma [units]</c> (starts at 1) and <c>beta [units]</c> (starts at 0); buffers
/// <c>running_mean [units]</c> (starts at 0) and <c>running_var [units]</c> (starts at 1).</para>
/// <para>Training, batch n ≥ 2: μ and the <em>biased</em> variance σ² = Σ(x − μ)²/n are the batch's; the running
/// statistics move as <c>running = (1 − m)·running + m·stat</c> with the batch mean and the <em>unbiased</em> variance
/// σ²·n/(n − 1). This is PyTorch's momentum convention (m = 0.1 by default); Keras states the same rule with
/// <c>momentum_keras = 1 − m</c>, the weight of the <em>old</em> value: PyTorch's default 0.1 is Keras 0.9, and Keras'
/// default 0.99 is 0.01 here (the two libraries' defaults differ, they are not the same setting).</para>
/// <para>Backward with x̂ = (x − μ)/√(σ² + ε): <c>dβ += Σ dy</c>, <c>dγ += Σ dy·x̂</c>,
/// <c>dx = γ/√(σ² + ε) · (dy − mean(dy) − x̂·mean(dy·x̂))</c>, the means over the batch (μ and σ² depend on x).</para>
/// <para>Inference: μ and σ² are the running statistics; the layer is the fixed affine map
/// <c>y = γ·(x − running_mean)/√(running_var + ε) + β</c>, whose backward is <c>dx = γ/√(running_var + ε)·dy</c>.</para>
/// <para>A training batch of one row has no variance to measure (its biased variance is 0 and its unbiased variance
/// undefined; PyTorch refuses it). Such a batch is normalized with the running statistics exactly as at inference,
/// the running statistics are left unchanged, and backward is that affine map's (γ and β still learn). This happens
/// when the last mini-batch of an epoch has one row.</para>
/// <para>Population statistics: after training, <see cref="BeginPopulationStatistics"/>, then
/// <see cref="AccumulatePopulationStatistics"/> with this layer's input for every training batch, then
/// <see cref="EndPopulationStatistics"/> replace the running statistics with the exact mean and unbiased variance
/// of the whole training set (accumulated in double, batches merged by Chan's parallel formula).</para>
/// </remarks>
internal sealed class BatchNorm : Layer
{
    /// <summary>The default ε added to the variance, 1e-5 (PyTorch and Keras 3).</summary>
    public const float DefaultEpsilon = 1e-5f;

    /// <summary>The default momentum in PyTorch's convention, 0.1 (Keras momentum 0.9).</summary>
    public const float DefaultMomentum = 0.1f;

    private readonly ParameterSpec[] _parameters;
    private readonly ParameterSpec[] _buffers;

    // Per-unit caches written by Forward and read by Backward: the mean and 1/√(σ² + ε) that forward used.
    private readonly float[] _mean;
    private readonly float[] _inverseStd;

    // Per-unit scratch: γ/√(σ² + ε), the two batch sums of backward, and a row for the row-by-row passes.
    private readonly float[] _scale;
    private readonly float[] _sumDy;
    private readonly float[] _sumDyXHat;
    private readonly float[] _row;

    // Population statistics in double: count, mean and sum of squared deviations so far, and one batch's.
    private readonly double[] _populationMean;
    private readonly double[] _populationM2;
    private readonly double[] _batchMean;
    private readonly double[] _batchM2;
    private long _populationCount = -1;

    private TensorView _gamma;
    private TensorView _beta;
    private TensorView _gammaGradient;
    private TensorView _betaGradient;
    private TensorView _runningMean;
    private TensorView _runningVariance;
    private bool _bound;
    private bool _usedBatchStatistics;

    /// <summary>Creates the layer for <paramref name="units"/> values per row.</summary>
    /// <param name="units">Values per row.</param>
    /// <param name="epsilon">Added to the variance before the square root; positive.</param>
    /// <param name="momentum">The weight of the new batch statistic in the running update (PyTorch convention), in (0, 1].</param>
    public BatchNorm(int units, float epsilon = DefaultEpsilon, float momentum = DefaultMomentum)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);
        if (!(epsilon > 0) || !float.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"BatchNorm epsilon must be positive and finite. Received: epsilon={epsilon}.");
        }

        if (!(momentum > 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), $"BatchNorm momentum (PyTorch convention, the weight of the new batch statistic; Keras momentum = 1 − this) must be in (0, 1]. Received: momentum={momentum}.");
        }

        Units = units;
        Epsilon = epsilon;
        Momentum = momentum;
        _parameters =
        [
            new ParameterSpec("gamma", [units], ParameterRole.Scale, 1f),
            new ParameterSpec("beta", [units], ParameterRole.Shift, 0f),
        ];
        _buffers =
        [
            new ParameterSpec("running_mean", [units], ParameterRole.RunningMean, 0f),
            new ParameterSpec("running_var", [units], ParameterRole.RunningVariance, 1f),
        ];
        _mean = new float[units];
        _inverseStd = new float[units];
        _scale = new float[units];
        _sumDy = new float[units];
        _sumDyXHat = new float[units];
        _row = new float[units];
        _populationMean = new double[units];
        _populationM2 = new double[units];
        _batchMean = new double[units];
        _batchM2 = new double[units];
    }

    /// <summary>Values per row.</summary>
    public int Units { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <summary>The weight of the new batch statistic in the running update (PyTorch convention).</summary>
    public float Momentum { get; }

    /// <inheritdoc/>
    public override int InputSize => Units;

    /// <inheritdoc/>
    public override int OutputSize => Units;

    /// <summary><c>gamma [units]</c> (scale, starts at 1), <c>beta [units]</c> (shift, starts at 0).</summary>
    public override IReadOnlyList<ParameterSpec> Parameters => _parameters;

    /// <summary><c>running_mean [units]</c> (starts at 0), <c>running_var [units]</c> (starts at 1).</summary>
    public override IReadOnlyList<ParameterSpec> Buffers => _buffers;

    /// <inheritdoc/>
    public override void Bind(TensorView[] parameters, TensorView[] gradients, TensorView[] buffers)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(buffers);
        if (parameters.Length != 2 || gradients.Length != 2 || buffers.Length != 2
            || parameters[0].Length != Units || parameters[1].Length != Units
            || gradients[0].Length != Units || gradients[1].Length != Units
            || buffers[0].Length != Units || buffers[1].Length != Units)
        {
            throw new ArgumentException($"BatchNorm({Units}): expected views gamma, beta (with their gradients) and running_mean, running_var, each of {Units} values; received {parameters.Length} parameter, {gradients.Length} gradient and {buffers.Length} buffer views.");
        }

        _gamma = parameters[0];
        _beta = parameters[1];
        _gammaGradient = gradients[0];
        _betaGradient = gradients[1];
        _runningMean = buffers[0];
        _runningVariance = buffers[1];
        _bound = true;
    }

    /// <summary>Normalizes each unit with the batch statistics (training, batch ≥ 2) or the running statistics (otherwise).</summary>
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
    {
        EnsureBound();
        CheckBatch(input.Length, output.Length, batch);
        if (batch == 0)
        {
            return;
        }

        _usedBatchStatistics = context.Training && batch >= 2;
        if (_usedBatchStatistics)
        {
            ComputeBatchStatistics(input, batch);
        }
        else
        {
            UseRunningStatistics();
        }

        TensorPrimitives.Multiply(_gamma.Span, _inverseStd, _scale);
        ForwardRows(input, output, batch);
    }

    /// <summary>At inference the layer is a fixed affine map of each row (the running statistics).</summary>
    public override bool IsRowwise(LayerContext context) => !context.Training;

    /// <summary>Computes the affine map of the running statistics once for all blocks of rows.</summary>
    public override void BeginRowwiseForward(LayerContext context)
    {
        EnsureBound();
        _usedBatchStatistics = false;
        UseRunningStatistics();
        TensorPrimitives.Multiply(_gamma.Span, _inverseStd, _scale);
    }

    /// <summary><c>y = (x − μ)·(γ/σ) + β</c> with the statistics and scale already in place; reads the layer's state, writes none.</summary>
    public override void ForwardRows(ReadOnlySpan<float> input, Span<float> output, int rows)
    {
        ReadOnlySpan<float> beta = _beta.Span;
        for (var r = 0; r < rows; r++)
        {
            var y = output.Slice(r * Units, Units);
            TensorPrimitives.Subtract(input.Slice(r * Units, Units), _mean, y);
            TensorPrimitives.FusedMultiplyAdd(y, _scale, beta, y);
        }
    }

    /// <summary>
    /// The inference map of each unit as <c>y = scale·x + shift</c>, computed in double from the running statistics:
    /// <c>scale = γ/√(running_var + ε)</c>, <c>shift = β − scale·running_mean</c>.
    /// </summary>
    public void InferenceAffine(Span<double> scale, Span<double> shift)
    {
        EnsureBound();
        ReadOnlySpan<float> gamma = _gamma.Span;
        ReadOnlySpan<float> beta = _beta.Span;
        ReadOnlySpan<float> mean = _runningMean.Span;
        ReadOnlySpan<float> variance = _runningVariance.Span;
        for (var u = 0; u < Units; u++)
        {
            scale[u] = gamma[u] / Math.Sqrt((double)variance[u] + Epsilon);
            shift[u] = beta[u] - (scale[u] * mean[u]);
        }
    }

    /// <summary>Accumulates dγ and dβ and writes dx, through the batch statistics when forward used them.</summary>
    public override void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient,
        int batch,
        LayerContext context)
    {
        EnsureBound();
        CheckBatch(input.Length, outputGradient.Length, batch);
        if (batch == 0)
        {
            return;
        }

        // Σ dy and Σ dy·x̂ per unit, x̂ = (x − μ)/σ with the μ and σ forward used.
        ColumnPasses.GradientSums(input, outputGradient, batch, Units, _mean, _inverseStd, _sumDy, _sumDyXHat, _row);

        if (context.AccumulateGradients)
        {
            TensorPrimitives.Add(_gammaGradient.Span, _sumDyXHat, _gammaGradient.Span);
            TensorPrimitives.Add(_betaGradient.Span, _sumDy, _betaGradient.Span);
        }
        else
        {
            _sumDyXHat.CopyTo(_gammaGradient.Span);
            _sumDy.CopyTo(_betaGradient.Span);
        }
        if (inputGradient.IsEmpty)
        {
            return;
        }

        // _scale still holds γ/σ from forward.
        if (!_usedBatchStatistics)
        {
            // The fixed affine map: dx = (γ/σ)·dy.
            for (var r = 0; r < batch; r++)
            {
                TensorPrimitives.Multiply(outputGradient.Slice(r * Units, Units), _scale, inputGradient.Slice(r * Units, Units));
            }

            return;
        }

        // dx = (γ/σ)·(dy − Σdy/n − x̂·Σ(dy·x̂)/n).
        var inverseBatch = 1f / batch;
        TensorPrimitives.Multiply(_sumDy, inverseBatch, _sumDy);
        TensorPrimitives.Multiply(_sumDyXHat, inverseBatch, _sumDyXHat);
        ColumnPasses.InputGradient(input, outputGradient, inputGradient, batch, Units, _mean, _inverseStd, _sumDyXHat, _sumDy, _scale);
    }

    /// <summary>Starts exact population statistics: clears the accumulators (the running statistics are untouched until <see cref="EndPopulationStatistics"/>).</summary>
    public void BeginPopulationStatistics()
    {
        Array.Clear(_populationMean);
        Array.Clear(_populationM2);
        _populationCount = 0;
    }

    /// <summary>Adds one batch <c>[batch, units]</c> of this layer's input to the population statistics.</summary>
    public void AccumulatePopulationStatistics(ReadOnlySpan<float> input, int batch)
    {
        if (_populationCount < 0)
        {
            throw new InvalidOperationException("BatchNorm: call BeginPopulationStatistics before AccumulatePopulationStatistics.");
        }

        CheckBatch(input.Length, input.Length, batch);
        if (batch == 0)
        {
            return;
        }

        // Two passes over the batch in double for its mean and sum of squared deviations…
        Array.Clear(_batchMean);
        Array.Clear(_batchM2);
        for (var r = 0; r < batch; r++)
        {
            var x = input.Slice(r * Units, Units);
            for (var u = 0; u < Units; u++)
            {
                _batchMean[u] += x[u];
            }
        }

        for (var u = 0; u < Units; u++)
        {
            _batchMean[u] /= batch;
        }

        for (var r = 0; r < batch; r++)
        {
            var x = input.Slice(r * Units, Units);
            for (var u = 0; u < Units; u++)
            {
                var d = x[u] - _batchMean[u];
                _batchM2[u] += d * d;
            }
        }

        // …then merged into the totals (Chan, Golub and LeVeque): δ = μ_b − μ, μ += δ·n_b/n', M2 += M2_b + δ²·n·n_b/n'.
        var n = (double)_populationCount;
        var total = n + batch;
        for (var u = 0; u < Units; u++)
        {
            var delta = _batchMean[u] - _populationMean[u];
            _populationMean[u] += delta * batch / total;
            _populationM2[u] += _batchM2[u] + (delta * delta * n * batch / total);
        }

        _populationCount += batch;
    }

    /// <summary>
    /// Writes the population mean and unbiased variance (M2/(N − 1)) into <c>running_mean</c> and <c>running_var</c>;
    /// needs at least two rows in total.
    /// </summary>
    public void EndPopulationStatistics()
    {
        EnsureBound();
        if (_populationCount < 0)
        {
            throw new InvalidOperationException("BatchNorm: call BeginPopulationStatistics before EndPopulationStatistics.");
        }

        if (_populationCount < 2)
        {
            throw new InvalidOperationException($"BatchNorm population statistics need at least two rows for an unbiased variance. Received: {_populationCount} rows.");
        }

        var runningMean = _runningMean.Span;
        var runningVariance = _runningVariance.Span;
        for (var u = 0; u < Units; u++)
        {
            runningMean[u] = (float)_populationMean[u];
            runningVariance[u] = (float)(_populationM2[u] / (_populationCount - 1));
        }

        _populationCount = -1;
    }

    /// <summary>Fills the mean and 1/σ caches from the running statistics: μ = running_mean, 1/√(running_var + ε).</summary>
    private void UseRunningStatistics()
    {
        _runningMean.Span.CopyTo(_mean);
        TensorPrimitives.Add(_runningVariance.Span, Epsilon, _inverseStd);
        TensorPrimitives.ReciprocalSqrt(_inverseStd, _inverseStd);
    }

    /// <summary>Fills the mean and 1/σ caches from the batch and moves the running statistics.</summary>
    private void ComputeBatchStatistics(ReadOnlySpan<float> input, int batch)
    {
        // μ = Σx/n and σ² = Σ(x − μ)²/n (biased; two passes for accuracy), the latter in the 1/σ cache for now.
        ColumnPasses.MeanAndVariance(input, batch, Units, _mean, _inverseStd, _row);

        // running = (1 − m)·running + m·stat, the variance made unbiased by n/(n − 1).
        var keep = 1f - Momentum;
        var runningMean = _runningMean.Span;
        var runningVariance = _runningVariance.Span;
        TensorPrimitives.Multiply(runningMean, keep, runningMean);
        TensorPrimitives.MultiplyAdd(_mean, Momentum, runningMean, runningMean);
        TensorPrimitives.Multiply(runningVariance, keep, runningVariance);
        TensorPrimitives.MultiplyAdd(_inverseStd, Momentum * batch / (batch - 1f), runningVariance, runningVariance);

        // 1/√(σ² + ε).
        TensorPrimitives.Add(_inverseStd, Epsilon, _inverseStd);
        TensorPrimitives.ReciprocalSqrt(_inverseStd, _inverseStd);
    }

    private void CheckBatch(int inputLength, int outputLength, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        var needed = (long)batch * Units;
        if (inputLength < needed || outputLength < needed)
        {
            throw new ArgumentException($"BatchNorm({Units}): a batch of {batch} rows needs {needed} values; received {inputLength} and {outputLength}.");
        }
    }

    private void EnsureBound()
    {
        if (!_bound)
        {
            throw new InvalidOperationException("BatchNorm: Bind must be called before use.");
        }
    }
}
