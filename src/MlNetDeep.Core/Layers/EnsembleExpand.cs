namespace MlNetDeep.Layers;

/// <summary>
/// Starts a parameter-efficient ensemble: each row's values are copied once per member, so every later layer sees
/// <c>[batch, members · width]</c>, member <c>i</c>'s values at <c>[i·width, (i+1)·width)</c> of the row (equivalently
/// <c>[batch · members, width]</c>, the layout the ensemble layers compute on). Backward adds the members' gradients.
/// </summary>
internal sealed class EnsembleExpand : Layer
{
    /// <summary>Copies rows of <paramref name="width"/> values for <paramref name="members"/> members.</summary>
    public EnsembleExpand(int width, int members)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 2);
        InputSize = width;
        Members = members;
    }

    /// <summary>The ensemble's members, k.</summary>
    public int Members { get; }

    /// <inheritdoc/>
    public override int InputSize { get; }

    /// <inheritdoc/>
    public override int OutputSize => InputSize * Members;

    /// <summary>The copy maps every row on its own.</summary>
    public override bool IsRowwise(LayerContext context) => true;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
        => ForwardRows(input, output, batch);

    /// <inheritdoc/>
    public override void ForwardRows(ReadOnlySpan<float> input, Span<float> output, int rows)
    {
        var width = InputSize;
        for (var r = 0; r < rows; r++)
        {
            var source = input.Slice(r * width, width);
            for (var i = 0; i < Members; i++)
            {
                source.CopyTo(output.Slice(((r * Members) + i) * width, width));
            }
        }
    }

    /// <summary><c>dx = Σ_members dy</c>.</summary>
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

        var width = InputSize;
        for (var r = 0; r < batch; r++)
        {
            var target = inputGradient.Slice(r * width, width);
            outputGradient.Slice(r * Members * width, width).CopyTo(target);
            for (var i = 1; i < Members; i++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(target, outputGradient.Slice(((r * Members) + i) * width, width), target);
            }
        }
    }
}
