using System.Numerics.Tensors;
using MlNetDeep.Compute;

namespace MlNetDeep.Layers;

/// <summary>
/// Alpha dropout for self-normalizing (SELU) networks (Klambauer et al.; PyTorch <c>nn.AlphaDropout</c>): dropped
/// values are set to SELU's negative saturation α′ = −λα instead of zero, and an affine correction keeps zero mean
/// and unit variance: <c>y = a·(x·m + α′·(1 − m)) + b</c>, <c>m ~ Bernoulli(q)</c>, q = 1 − rate,
/// <c>a = (q + α′²·q·(1 − q))^(−1/2)</c>, <c>b = −a·α′·(1 − q)</c>. The identity at inference and for rate 0.
/// </summary>
/// <remarks>
/// Shapes: <c>x, y [batch, size]</c>. The buffer holds <c>a·m</c>; forward computes <c>y = (x − α′)·(a·m) + (a·α′ + b)</c>,
/// which is <c>a·x + b</c> where kept and <c>a·α′ + b</c> where dropped; backward is <c>dx = a·m·dy</c>.
/// </remarks>
internal sealed class AlphaDropout : Layer
{
    /// <summary>SELU's λ.</summary>
    public const double SeluLambda = 1.0507009873554804934193349852946;

    /// <summary>SELU's α.</summary>
    public const double SeluAlpha = 1.6732632423543772848170429916717;

    /// <summary>The value dropped units take before the affine correction, α′ = −λα.</summary>
    public const double AlphaPrime = -SeluLambda * SeluAlpha;

    private readonly float _droppedOutput;
    private float[] _mask = [];
    private bool _maskActive;

    /// <summary>Creates the layer for rows of <paramref name="size"/> values and the drop probability <paramref name="rate"/> in [0, 1).</summary>
    public AlphaDropout(int size, float rate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Dropout.ValidateRate(rate, nameof(AlphaDropout));
        Size = size;
        Rate = rate;
        var (a, b) = AffineConstants(rate);
        A = (float)a;
        B = (float)b;
        _droppedOutput = (float)((a * AlphaPrime) + b);
    }

    /// <summary>Values per row.</summary>
    public int Size { get; }

    /// <summary>The probability that a value is dropped in training.</summary>
    public float Rate { get; }

    /// <summary>The scale <c>a</c> of the affine correction.</summary>
    public float A { get; }

    /// <summary>The shift <c>b</c> of the affine correction.</summary>
    public float B { get; }

    /// <inheritdoc/>
    public override int InputSize => Size;

    /// <inheritdoc/>
    public override int OutputSize => Size;

    /// <summary>The affine constants for a drop rate: <c>a = (q + α′²q(1 − q))^(−1/2)</c>, <c>b = −a·α′·(1 − q)</c>, q = 1 − rate.</summary>
    public static (double A, double B) AffineConstants(double rate)
    {
        var q = 1 - rate;
        var a = 1 / Math.Sqrt(q + (AlphaPrime * AlphaPrime * q * (1 - q)));
        return (a, -a * AlphaPrime * (1 - q));
    }

    /// <summary>Allocates the mask for <paramref name="maxBatch"/> rows.</summary>
    public override void Allocate(int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBatch);
        _mask = new float[maxBatch * Size];
    }

    /// <summary>Training: <c>y = a·(x·m + α′·(1 − m)) + b</c> with a fresh mask; inference or rate 0: <c>y = x</c>.</summary>
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
    {
        _maskActive = context.Training && Rate > 0;
        var length = Dropout.CheckedLength(input.Length, output.Length, batch, _maskActive ? _mask.Length : int.MaxValue, Size, nameof(AlphaDropout));
        var x = input[..length];
        var y = output[..length];
        if (!_maskActive)
        {
            x.CopyTo(y);
            return;
        }

        var mask = _mask.AsSpan(0, length);
        BernoulliMask.Fill(context.Random, mask, 1f - Rate, A);
        TensorPrimitives.Subtract(x, (float)AlphaPrime, y);
        TensorPrimitives.MultiplyAdd(y, mask, _droppedOutput, y);
    }

    /// <summary><c>dx = a·m·dy</c> with the mask of the last forward pass (the identity when that pass had none).</summary>
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

        var length = Dropout.CheckedLength(outputGradient.Length, inputGradient.Length, batch, _maskActive ? _mask.Length : int.MaxValue, Size, nameof(AlphaDropout));
        if (_maskActive)
        {
            TensorPrimitives.Multiply(outputGradient[..length], _mask.AsSpan(0, length), inputGradient[..length]);
        }
        else
        {
            outputGradient[..length].CopyTo(inputGradient);
        }
    }
}
