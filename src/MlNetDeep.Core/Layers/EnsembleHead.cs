using System.Numerics.Tensors;
using MlNetDeep.Compute;

namespace MlNetDeep.Layers;

/// <summary>
/// The output layer of a parameter-efficient ensemble: a linear map of each member's own, <c>y_i = x_i·W_iᵀ + b_i</c>.
/// </summary>
/// <remarks>
/// Shapes: input <c>[batch, k·in]</c>, output <c>[batch, k·out]</c> (member <c>i</c> of row <c>b</c> at row <c>b·k + i</c> of
/// the views <c>[batch·k, ·]</c>); <c>weight [k, out, in]</c> (each member drawn by the initializer given), <c>bias
/// [k, out]</c> (zeros). Each member's rows are gathered into <c>[k, batch, in]</c> (kept from forward for backward),
/// multiplied as one product and scattered back. Backward:
/// <c>dW_i = dy_iᵀ·x_i</c>, <c>db_i = Σ dy_i</c>, <c>dx_i = dy_i·W_i</c>.
/// </remarks>
internal sealed class EnsembleHead : Layer
{
    private readonly ParameterSpec[] _parameters;
    private TensorView _weight;
    private TensorView _weightGradient;
    private TensorView _bias;
    private TensorView _biasGradient;
    private float[] _input = [];
    private float[] _output = [];
    private float[] _inputGradient = [];

    /// <summary>Creates the heads of <paramref name="members"/> members mapping <paramref name="inputSize"/> values to <paramref name="outputSize"/>.</summary>
    /// <param name="inputSize">Values per member in.</param>
    /// <param name="outputSize">Values per member out.</param>
    /// <param name="members">The members, k.</param>
    /// <param name="initializer">Draws one member's weight <c>[out, in]</c>.</param>
    public EnsembleHead(int inputSize, int outputSize, int members, Action<Span<float>, RandomGenerator> initializer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentNullException.ThrowIfNull(initializer);
        MemberInputSize = inputSize;
        MemberOutputSize = outputSize;
        Members = members;
        var each = inputSize * outputSize;
        _parameters =
        [
            new ParameterSpec("weight", [members, outputSize, inputSize], ParameterRole.Weight)
            {
                Initializer = (values, random) =>
                {
                    for (var i = 0; i < members; i++)
                    {
                        initializer(values.Slice(i * each, each), random);
                    }
                },
            },
            new ParameterSpec("bias", [members, outputSize], ParameterRole.Bias),
        ];
    }

    /// <summary>Values per member in.</summary>
    public int MemberInputSize { get; }

    /// <summary>Values per member out.</summary>
    public int MemberOutputSize { get; }

    /// <summary>The members, k.</summary>
    public int Members { get; }

    /// <inheritdoc/>
    public override int InputSize => MemberInputSize * Members;

    /// <inheritdoc/>
    public override int OutputSize => MemberOutputSize * Members;

    /// <summary><c>weight [k, out, in]</c>, <c>bias [k, out]</c>.</summary>
    public override IReadOnlyList<ParameterSpec> Parameters => _parameters;

    /// <inheritdoc/>
    public override void Bind(TensorView[] parameters, TensorView[] gradients, TensorView[] buffers)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        if (parameters.Length != 2 || gradients.Length != 2)
        {
            throw new ArgumentException("EnsembleHead: expected weight and bias views.");
        }

        (_weight, _weightGradient) = (parameters[0], gradients[0]);
        (_bias, _biasGradient) = (parameters[1], gradients[1]);
    }

    /// <inheritdoc/>
    public override void Allocate(int maxBatch)
    {
        _input = new float[maxBatch * InputSize];
        _output = new float[maxBatch * MemberOutputSize];
        _inputGradient = new float[maxBatch * MemberInputSize];
    }

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
    {
        int inputs = MemberInputSize, outputs = MemberOutputSize;
        var y = _output.AsSpan(0, batch * outputs);
        for (var member = 0; member < Members; member++)
        {
            // Member i's rows, gathered once into [k, batch, in] and kept there for backward's weight gradient.
            var x = _input.AsSpan(member * batch * inputs, batch * inputs);
            Gather(input, x, batch, member, inputs);
            var weight = _weight.Span.Slice(member * inputs * outputs, inputs * outputs);
            ReadOnlySpan<float> bias = _bias.Span.Slice(member * outputs, outputs);
            Gemm.Multiply(false, true, batch, outputs, inputs, x, weight, y, accumulate: false, context.Threads);
            for (var b = 0; b < batch; b++)
            {
                TensorPrimitives.Add(y.Slice(b * outputs, outputs), bias, output.Slice(((b * Members) + member) * outputs, outputs));
            }
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
        int inputs = MemberInputSize, outputs = MemberOutputSize;
        var accumulate = context.AccumulateGradients;
        var dy = _output.AsSpan(0, batch * outputs);
        for (var member = 0; member < Members; member++)
        {
            // Member i's rows as forward gathered them.
            var x = _input.AsSpan(member * batch * inputs, batch * inputs);
            Gather(outputGradient, dy, batch, member, outputs);
            var weight = _weight.Span.Slice(member * inputs * outputs, inputs * outputs);
            Gemm.Multiply(true, false, outputs, inputs, batch, dy, x, _weightGradient.Span.Slice(member * inputs * outputs, inputs * outputs), accumulate, context.Threads);
            var db = _biasGradient.Span.Slice(member * outputs, outputs);
            if (!accumulate)
            {
                db.Clear();
            }

            for (var b = 0; b < batch; b++)
            {
                TensorPrimitives.Add(db, dy.Slice(b * outputs, outputs), db);
            }

            if (!inputGradient.IsEmpty)
            {
                // dx_i = dy_i·W_i, then scattered to member i's rows.
                var dx = _inputGradient.AsSpan(0, batch * inputs);
                Gemm.Multiply(false, false, batch, inputs, outputs, dy, weight, dx, accumulate: false, context.Threads);
                for (var b = 0; b < batch; b++)
                {
                    dx.Slice(b * inputs, inputs).CopyTo(inputGradient.Slice(((b * Members) + member) * inputs, inputs));
                }
            }
        }
    }

    /// <summary>Copies member <paramref name="member"/>'s rows of <paramref name="source"/> into <paramref name="target"/> <c>[batch, width]</c>.</summary>
    private void Gather(ReadOnlySpan<float> source, Span<float> target, int batch, int member, int width)
    {
        for (var b = 0; b < batch; b++)
        {
            source.Slice(((b * Members) + member) * width, width).CopyTo(target.Slice(b * width, width));
        }
    }
}
