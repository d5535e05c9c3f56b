using MlNetDeep.ActivationFunctions;

namespace MlNetDeep.Layers;

/// <summary>
/// A layer that applies an elementwise <see cref="ActivationFunction"/> to <c>[batch, size]</c> rows
/// (size in = size out, no parameters). Backward hands the function the forward input and output it is
/// given, so each activation uses whichever it needs (tanh and sigmoid the output, the others the input).
/// Forward may run in place (output aliasing input), but in training the input must then be kept elsewhere
/// for backward, since most derivatives are computed from the input.
/// </summary>
internal sealed class ActivationLayer : Layer
{
    private readonly int _size;

    /// <summary>Wraps <paramref name="function"/> for rows of <paramref name="size"/> values.</summary>
    public ActivationLayer(int size, ActivationFunction function)
    {
        if (size <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), $"An activation layer needs a positive size. Received: size={size}.");
        }

        ArgumentNullException.ThrowIfNull(function);
        _size = size;
        Function = function;
    }

    /// <summary>Creates the layer for the elementwise activation <paramref name="kind"/> (see <see cref="ActivationFunction.Create"/>).</summary>
    public ActivationLayer(int size, Activation kind, ActivationSettings? settings = null)
        : this(size, ActivationFunction.Create(kind, settings))
    {
    }

    /// <summary>The activation applied to every value.</summary>
    public ActivationFunction Function { get; }

    /// <inheritdoc/>
    public override int InputSize => _size;

    /// <inheritdoc/>
    public override int OutputSize => _size;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
    {
        var length = Length(batch);
        CheckLength(input.Length, length, nameof(input));
        CheckLength(output.Length, length, nameof(output));
        Function.Forward(input[..length], output[..length]);
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
        if (inputGradient.IsEmpty)
        {
            return;
        }

        var length = Length(batch);
        CheckLength(input.Length, length, nameof(input));
        CheckLength(output.Length, length, nameof(output));
        CheckLength(outputGradient.Length, length, nameof(outputGradient));
        CheckLength(inputGradient.Length, length, nameof(inputGradient));
        Function.Backward(input[..length], output[..length], outputGradient[..length], inputGradient[..length]);
    }

    /// <inheritdoc/>
    public override bool IsRowwise(LayerContext context) => true;

    /// <inheritdoc/>
    public override void ForwardRows(ReadOnlySpan<float> input, Span<float> output, int rows)
        => Function.Forward(input[..(rows * _size)], output[..(rows * _size)]);

    private int Length(int batch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        return checked(batch * _size);
    }

    private void CheckLength(int actual, int needed, string name)
    {
        if (actual < needed)
        {
            throw new ArgumentException($"The {Function.Kind} layer of size {_size} needs {needed} values in {name}. Received: {actual}.", name);
        }
    }
}
