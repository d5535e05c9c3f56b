namespace MlNetDeep.Layers;

/// <summary>
/// Runs a rowwise layer (layer normalization) on every member of a parameter-efficient ensemble on its own: the rows
/// <c>[batch, k·width]</c> go to the inner layer as <c>[batch·k, width]</c>, so each member's values are normalized
/// over that member's units, with the inner layer's parameters shared by all members.
/// </summary>
internal sealed class MemberRows : Layer
{
    private readonly Layer _inner;
    private readonly int _members;

    /// <summary>Wraps <paramref name="inner"/> (rows of one member's width) for <paramref name="members"/> members.</summary>
    public MemberRows(Layer inner, int members)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        _inner = inner;
        _members = members;
    }

    /// <summary>The layer run on each member.</summary>
    public Layer Inner => _inner;

    /// <inheritdoc/>
    public override int InputSize => _inner.InputSize * _members;

    /// <inheritdoc/>
    public override int OutputSize => _inner.OutputSize * _members;

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterSpec> Parameters => _inner.Parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterSpec> Buffers => _inner.Buffers;

    /// <inheritdoc/>
    public override void Bind(TensorView[] parameters, TensorView[] gradients, TensorView[] buffers) => _inner.Bind(parameters, gradients, buffers);

    /// <inheritdoc/>
    public override void Allocate(int maxBatch) => _inner.Allocate(maxBatch * _members);

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
        => _inner.Forward(input, output, batch * _members, context);

    /// <inheritdoc/>
    public override void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient,
        int batch,
        LayerContext context)
        => _inner.Backward(input, output, outputGradient, inputGradient, batch * _members, context);

    /// <inheritdoc/>
    public override bool IsRowwise(LayerContext context) => _inner.IsRowwise(context);

    /// <inheritdoc/>
    public override void BeginRowwiseForward(LayerContext context) => _inner.BeginRowwiseForward(context);

    /// <inheritdoc/>
    public override void ForwardRows(ReadOnlySpan<float> input, Span<float> output, int rows) => _inner.ForwardRows(input, output, rows * _members);
}
