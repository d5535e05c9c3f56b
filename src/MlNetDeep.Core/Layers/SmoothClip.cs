namespace MlNetDeep.Layers;

/// <summary>
/// Smooth clipping of robustly scaled features, <c>y = z / √(1 + (z/3)²)</c>, the second half of
/// <see cref="InputTransform.RobustSmoothClip"/> (the network's input shift and scale, the median and the
/// interquartile range, have made <c>z</c>). No parameters; every row on its own.
/// </summary>
/// <remarks>
/// Shapes: <c>z, y [batch, size]</c>. Backward: <c>dz = dy · (1 + (z/3)²)^(−3/2)</c>.
/// </remarks>
internal sealed class SmoothClip : Layer
{
    private const float InverseLimitSquared = 1f / 9f;

    /// <summary>Creates the layer for rows of <paramref name="size"/> values.</summary>
    public SmoothClip(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        InputSize = size;
    }

    /// <inheritdoc/>
    public override int InputSize { get; }

    /// <inheritdoc/>
    public override int OutputSize => InputSize;

    /// <summary>The clipping maps every value on its own, in training and at inference.</summary>
    public override bool IsRowwise(LayerContext context) => true;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
        => ForwardRows(input, output, batch);

    /// <inheritdoc/>
    public override void ForwardRows(ReadOnlySpan<float> input, Span<float> output, int rows)
    {
        var count = rows * InputSize;
        for (var i = 0; i < count; i++)
        {
            output[i] = Clip(input[i]);
        }
    }

    /// <summary><c>z / √(1 + (z/3)²)</c>.</summary>
    public static float Clip(float z) => z / MathF.Sqrt(1f + (z * z * InverseLimitSquared));

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

        var count = batch * InputSize;
        for (var i = 0; i < count; i++)
        {
            var z = input[i];
            var t = 1f + (z * z * InverseLimitSquared);
            inputGradient[i] = outputGradient[i] / (t * MathF.Sqrt(t));
        }
    }
}
