using MlNetDeep.Compute;

namespace MlNetDeep.Layers;

/// <summary>
/// Inverted dropout (Srivastava et al.; PyTorch <c>nn.Dropout</c>, Keras <c>Dropout</c>): in training each value is
/// kept with probability <c>1 − rate</c> and scaled by <c>1/(1 − rate)</c>, otherwise zeroed, so the expectation is
/// unchanged; at inference (and for rate 0) it is the identity.
/// </summary>
/// <remarks>
/// Shapes: <c>x, y [batch, size]</c>. The mask <c>mᵢ ∈ {0, 1/(1 − rate)}</c> is drawn from <see cref="LayerContext.Random"/>
/// as forward computes <c>y = m·x</c> and kept as one bit per value (a buffer allocated once, 1/32 of the values' size);
/// backward is <c>dx = m·dy</c> with the same mask.
/// </remarks>
internal sealed class Dropout : Layer
{
    private byte[] _mask = [];
    private int _allocated;
    private bool _maskActive;

    /// <summary>Creates the layer for rows of <paramref name="size"/> values and the drop probability <paramref name="rate"/> in [0, 1).</summary>
    public Dropout(int size, float rate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ValidateRate(rate, nameof(Dropout));
        Size = size;
        Rate = rate;
    }

    /// <summary>Values per row.</summary>
    public int Size { get; }

    /// <summary>The probability that a value is dropped in training.</summary>
    public float Rate { get; }

    /// <inheritdoc/>
    public override int InputSize => Size;

    /// <inheritdoc/>
    public override int OutputSize => Size;

    /// <summary>Allocates the mask for <paramref name="maxBatch"/> rows.</summary>
    public override void Allocate(int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBatch);
        _allocated = maxBatch * Size;
        _mask = new byte[BernoulliMask.BitsLength(_allocated)];
    }

    /// <summary>Training: <c>y = m·x</c> with a fresh mask; inference or rate 0: <c>y = x</c>.</summary>
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
    {
        _maskActive = context.Training && Rate > 0;
        var length = CheckedLength(input.Length, output.Length, batch, _maskActive ? _allocated : int.MaxValue, Size, nameof(Dropout));
        if (!_maskActive)
        {
            input[..length].CopyTo(output);
            return;
        }

        BernoulliMask.Apply(context.Random, input[..length], output[..length], _mask, 1f - Rate, 1f / (1f - Rate));
    }

    /// <summary>At inference (or rate 0) dropout is the identity, row by row.</summary>
    public override bool IsRowwise(LayerContext context) => !context.Training || Rate == 0;

    /// <inheritdoc/>
    public override void BeginRowwiseForward(LayerContext context) => _maskActive = false;

    /// <inheritdoc/>
    public override void ForwardRows(ReadOnlySpan<float> input, Span<float> output, int rows)
        => input[..(rows * Size)].CopyTo(output);

    /// <summary><c>dx = m·dy</c> with the mask of the last forward pass (the identity when that pass had none).</summary>
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

        var length = CheckedLength(outputGradient.Length, inputGradient.Length, batch, _maskActive ? _allocated : int.MaxValue, Size, nameof(Dropout));
        if (_maskActive)
        {
            BernoulliMask.ApplyBits(_mask, outputGradient[..length], inputGradient[..length], 1f / (1f - Rate));
        }
        else
        {
            outputGradient[..length].CopyTo(inputGradient);
        }
    }

    /// <summary>Throws unless <paramref name="rate"/> is in [0, 1), naming the layer and the rate received.</summary>
    internal static void ValidateRate(float rate, string layer)
    {
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), $"The {layer} rate is the probability of dropping a value and must be in [0, 1). Received: rate={rate}.");
        }
    }

    /// <summary>Checks a batch against the spans and the allocated mask and returns <c>batch·size</c>.</summary>
    internal static int CheckedLength(int inputLength, int outputLength, int batch, int allocated, int size, string layer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        var length = (long)batch * size;
        if (length > allocated)
        {
            throw new InvalidOperationException($"{layer}: a batch of {batch} rows exceeds the {allocated / size} allocated; call Allocate with the largest batch first.");
        }

        if (inputLength < length || outputLength < length)
        {
            throw new ArgumentException($"{layer}({size}): a batch of {batch} rows needs {length} values; received {inputLength} and {outputLength}.");
        }

        return (int)length;
    }
}
