using System.Numerics.Tensors;

namespace MlNetDeep.Layers;

/// <summary>
/// Layer normalization over <c>[batch, units]</c>: each row is normalized with its own mean and biased variance
/// over the units, then scaled and shifted per unit, <c>y = γ·(x − μ)/√(σ² + ε) + β</c> (Ba, Kiros and Hinton;
/// PyTorch <c>LayerNorm</c>). The same in training and inference.
/// </summary>
/// <remarks>
/// Parameters <c>gamma [units]</c> (starts at 1) and <c>beta [units]</c> (starts at 0). Forward caches each row's
/// μ and 1/σ with σ = √(σ² + ε), σ² = Σ(x − μ)²/units. Backward, per row with x̂ = (x − μ)/σ and g = γ·dy:
/// <c>dγ += Σ_rows dy·x̂</c>, <c>dβ += Σ_rows dy</c>, <c>dx = (g − mean(g) − x̂·mean(g·x̂))/σ</c>, the means over the units.
/// </remarks>
internal sealed class LayerNorm : Layer
{
    /// <summary>The default ε added to the variance, 1e-5 (PyTorch).</summary>
    public const float DefaultEpsilon = 1e-5f;

    private readonly ParameterSpec[] _parameters;
    private readonly float[] _normalized;
    private readonly float[] _scaledGradient;
    private float[] _mean = [];
    private float[] _inverseStd = [];
    private TensorView _gamma;
    private TensorView _beta;
    private TensorView _gammaGradient;
    private TensorView _betaGradient;
    private bool _bound;

    /// <summary>Creates the layer for <paramref name="units"/> values per row; <paramref name="epsilon"/> must be positive.</summary>
    public LayerNorm(int units, float epsilon = DefaultEpsilon)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(units);
        if (!(epsilon > 0) || !float.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"LayerNorm epsilon must be positive and finite. Received: epsilon={epsilon}.");
        }

        Units = units;
        Epsilon = epsilon;
        _parameters =
        [
            new ParameterSpec("gamma", [units], ParameterRole.Scale, 1f),
            new ParameterSpec("beta", [units], ParameterRole.Shift, 0f),
        ];
        _normalized = new float[units];
        _scaledGradient = new float[units];
    }

    /// <summary>Values per row.</summary>
    public int Units { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override int InputSize => Units;

    /// <inheritdoc/>
    public override int OutputSize => Units;

    /// <summary><c>gamma [units]</c> (scale, starts at 1), <c>beta [units]</c> (shift, starts at 0).</summary>
    public override IReadOnlyList<ParameterSpec> Parameters => _parameters;

    /// <inheritdoc/>
    public override void Bind(TensorView[] parameters, TensorView[] gradients, TensorView[] buffers)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        if (parameters.Length != 2 || gradients.Length != 2
            || parameters[0].Length != Units || parameters[1].Length != Units
            || gradients[0].Length != Units || gradients[1].Length != Units)
        {
            throw new ArgumentException($"LayerNorm({Units}): expected views gamma and beta (with their gradients) of {Units} values each; received {parameters.Length} parameter and {gradients.Length} gradient views.");
        }

        _gamma = parameters[0];
        _beta = parameters[1];
        _gammaGradient = gradients[0];
        _betaGradient = gradients[1];
        _bound = true;
    }

    /// <summary>Allocates the per-row mean and 1/σ caches.</summary>
    public override void Allocate(int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBatch);
        _mean = new float[maxBatch];
        _inverseStd = new float[maxBatch];
    }

    /// <summary>Normalizes each row over its units, then applies γ and β.</summary>
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
    {
        Check(input.Length, output.Length, batch);
        ReadOnlySpan<float> gamma = _gamma.Span;
        ReadOnlySpan<float> beta = _beta.Span;
        var inverseUnits = 1f / Units;
        for (var r = 0; r < batch; r++)
        {
            var x = input.Slice(r * Units, Units);
            var y = output.Slice(r * Units, Units);
            var mean = TensorPrimitives.Sum(x) * inverseUnits;
            TensorPrimitives.Subtract(x, mean, y);
            var inverseStd = 1f / MathF.Sqrt((TensorPrimitives.SumOfSquares(y) * inverseUnits) + Epsilon);
            _mean[r] = mean;
            _inverseStd[r] = inverseStd;
            TensorPrimitives.Multiply(y, inverseStd, y);
            TensorPrimitives.FusedMultiplyAdd(y, gamma, beta, y);
        }
    }

    /// <summary>Accumulates dγ and dβ and writes dx when asked for.</summary>
    public override void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient,
        int batch,
        LayerContext context)
    {
        Check(input.Length, outputGradient.Length, batch);
        ReadOnlySpan<float> gamma = _gamma.Span;
        var gammaGradient = _gammaGradient.Span;
        var betaGradient = _betaGradient.Span;
        if (!context.AccumulateGradients)
        {
            gammaGradient.Clear();
            betaGradient.Clear();
        }

        var inverseUnits = 1f / Units;
        for (var r = 0; r < batch; r++)
        {
            var dy = outputGradient.Slice(r * Units, Units);
            var inverseStd = _inverseStd[r];

            // x̂ = (x − μ)/σ; dγ += dy·x̂; dβ += dy.
            TensorPrimitives.Subtract(input.Slice(r * Units, Units), _mean[r], _normalized);
            TensorPrimitives.Multiply(_normalized, inverseStd, _normalized);
            TensorPrimitives.FusedMultiplyAdd(dy, _normalized, gammaGradient, gammaGradient);
            TensorPrimitives.Add(betaGradient, dy, betaGradient);
            if (inputGradient.IsEmpty)
            {
                continue;
            }

            // g = γ·dy; dx = (g − mean(g) − x̂·mean(g·x̂))/σ.
            TensorPrimitives.Multiply(dy, gamma, _scaledGradient);
            var meanG = TensorPrimitives.Sum(_scaledGradient) * inverseUnits;
            var meanGXHat = TensorPrimitives.Dot(_scaledGradient, _normalized) * inverseUnits;
            var dx = inputGradient.Slice(r * Units, Units);
            TensorPrimitives.Multiply(_normalized, -meanGXHat, dx);
            TensorPrimitives.Add(dx, _scaledGradient, dx);
            TensorPrimitives.Add(dx, -meanG, dx);
            TensorPrimitives.Multiply(dx, inverseStd, dx);
        }
    }

    private void Check(int inputLength, int otherLength, int batch)
    {
        if (!_bound)
        {
            throw new InvalidOperationException("LayerNorm: Bind must be called before Forward or Backward.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        if (batch > _mean.Length)
        {
            throw new InvalidOperationException($"LayerNorm({Units}): a batch of {batch} rows exceeds the {_mean.Length} allocated; call Allocate with the largest batch first.");
        }

        var needed = (long)batch * Units;
        if (inputLength < needed || otherLength < needed)
        {
            throw new ArgumentException($"LayerNorm({Units}): a batch of {batch} rows needs {needed} values; received {inputLength} and {otherLength}.");
        }
    }
}
