using System.Runtime.CompilerServices;
using MlNetDeep.Compute;
using MlNetDeep.Layers;

namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// The parametric ReLU (He et al., 2015) with one learnable slope per unit, as PyTorch's
/// <c>PReLU(num_parameters=units)</c> and Keras' <c>PReLU</c> on <c>[batch, units]</c> input.
/// Parameter <c>alpha</c> <c>[units]</c>, role <see cref="ParameterRole.ActivationParameter"/>, starting at 0.25.
/// Forward: <c>y[b, i] = x[b, i]</c> if <c>x[b, i] &gt; 0</c>, else <c>αᵢ·x[b, i]</c>.
/// Backward: <c>dx[b, i] = dy[b, i]</c> or <c>αᵢ·dy[b, i]</c>; <c>dαᵢ += Σ_b (x[b, i] ≤ 0 ? x[b, i]·dy[b, i] : 0)</c>.
/// </summary>
internal sealed class PReLU : Layer
{
    private readonly int _units;
    private readonly ParameterSpec[] _parameters;
    private TensorView _alpha;
    private TensorView _alphaGradient;

    /// <summary>Creates the layer for rows of <paramref name="units"/> values, slopes starting at <paramref name="initialSlope"/>.</summary>
    public PReLU(int units, float initialSlope = Defaults.InitialSlope)
    {
        if (units <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(units), $"PReLU needs at least one unit. Received: units={units}.");
        }

        if (!float.IsFinite(initialSlope))
        {
            throw new ArgumentOutOfRangeException(nameof(initialSlope), $"The initial PReLU slope must be finite. Received: initialSlope={initialSlope}.");
        }

        _units = units;
        _parameters = [new ParameterSpec("alpha", [units], ParameterRole.ActivationParameter, initialSlope)];
    }

    /// <inheritdoc/>
    public override int InputSize => _units;

    /// <inheritdoc/>
    public override int OutputSize => _units;

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterSpec> Parameters => _parameters;

    /// <summary>The bound slopes αᵢ <c>[units]</c>.</summary>
    public Span<float> Alpha => Bound(_alpha).Span;

    /// <summary>The bound slope gradients <c>[units]</c>.</summary>
    public Span<float> AlphaGradient => Bound(_alphaGradient).Span;

    /// <inheritdoc/>
    public override void Bind(TensorView[] parameters, TensorView[] gradients, TensorView[] buffers)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        if (parameters.Length != 1 || gradients.Length != 1 || parameters[0].Length != _units || gradients[0].Length != _units)
        {
            throw new ArgumentException($"PReLU binds one parameter and one gradient of {_units} values. Received: {parameters.Length} parameter(s) and {gradients.Length} gradient(s).");
        }

        _alpha = parameters[0];
        _alphaGradient = gradients[0];
    }

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
    {
        CheckBatch(input.Length, output.Length, batch);
        ReadOnlySpan<float> alpha = Bound(_alpha).Span;
        for (var row = 0; row < batch; row++)
        {
            var offset = row * _units;
            Elementwise.Binary(input.Slice(offset, _units), alpha, output.Slice(offset, _units), default(ForwardOperator));
        }
    }

    /// <inheritdoc/>
    public override void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient,
        int batch,
        LayerContext context)
    {
        CheckBatch(input.Length, outputGradient.Length, batch);
        ReadOnlySpan<float> alpha = Bound(_alpha).Span;
        var alphaGradient = Bound(_alphaGradient).Span;
        if (!context.AccumulateGradients)
        {
            alphaGradient.Clear();
        }

        var writeInputGradient = !inputGradient.IsEmpty;
        if (writeInputGradient && inputGradient.Length < batch * _units)
        {
            throw new ArgumentException($"PReLU input gradient needs {batch * _units} values. Received: {inputGradient.Length}.", nameof(inputGradient));
        }

        for (var row = 0; row < batch; row++)
        {
            var offset = row * _units;
            var x = input.Slice(offset, _units);
            var dy = outputGradient.Slice(offset, _units);
            if (writeInputGradient)
            {
                Elementwise.Ternary(x, alpha, dy, inputGradient.Slice(offset, _units), default(InputGradientOperator));
            }

            Elementwise.Ternary(x, dy, alphaGradient, alphaGradient, default(SlopeGradientOperator));
        }
    }

    private static TensorView Bound(TensorView view) =>
        view.Storage is null ? throw new InvalidOperationException("PReLU is used before Bind gave it its parameter views.") : view;

    private void CheckBatch(int inputLength, int otherLength, int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        var needed = (long)batch * _units;
        if (inputLength < needed || otherLength < needed)
        {
            throw new ArgumentException($"PReLU with {_units} units and batch {batch} needs {needed} values per span. Received: {inputLength} and {otherLength}.");
        }
    }

    /// <summary>The defaults of the constructor.</summary>
    public static class Defaults
    {
        /// <summary>0.25, the initial slope of PyTorch's and the He et al. PReLU.</summary>
        public const float InitialSlope = 0.25f;
    }

    /// <summary><c>(x, α) → x &gt; 0 ? x : αx</c>.</summary>
    private readonly struct ForwardOperator : IBinaryOperator
    {
        public float Invoke(float x, float alpha) => x > 0f ? x : alpha * x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x, TVec alpha)
            where TVec : struct, ISimd<TVec> => TVec.ConditionalSelect(TVec.GreaterThan(x, TVec.Zero), x, alpha * x);
    }

    /// <summary><c>(x, α, dy) → x &gt; 0 ? dy : α·dy</c>.</summary>
    private readonly struct InputGradientOperator : ITernaryOperator
    {
        public float Invoke(float x, float alpha, float dy) => x > 0f ? dy : alpha * dy;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x, TVec alpha, TVec dy)
            where TVec : struct, ISimd<TVec> =>
            TVec.ConditionalSelect(TVec.GreaterThan(x, TVec.Zero), dy, alpha * dy);
    }

    /// <summary><c>(x, dy, g) → g + (x &gt; 0 ? 0 : x·dy)</c>, accumulating the slope gradient in place.</summary>
    private readonly struct SlopeGradientOperator : ITernaryOperator
    {
        public float Invoke(float x, float dy, float gradient) => x > 0f ? gradient : gradient + (x * dy);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x, TVec dy, TVec gradient)
            where TVec : struct, ISimd<TVec> =>
            gradient + TVec.AndNot(x * dy, TVec.GreaterThan(x, TVec.Zero));
    }
}
