using System.Numerics.Tensors;
using MlNetDeep.Compute;

namespace MlNetDeep.Layers;

/// <summary>
/// A fully connected layer, <c>y = x·Wᵀ + b</c> (PyTorch <c>nn.Linear</c>).
/// </summary>
/// <remarks>
/// Shapes, all row-major: input <c>x [batch, in]</c>, weight <c>W [out, in]</c> (name <c>weight</c>),
/// bias <c>b [out]</c> (name <c>bias</c>, omitted when the layer is built without bias, as before a batch
/// normalization whose shift takes its place), output <c>y [batch, out]</c>.
/// Backward, with <c>dy [batch, out]</c>: <c>dW += dyᵀ·x</c> <c>[out, in]</c>; <c>db += Σ_rows dy</c>
/// <c>[out]</c>; <c>dx = dy·W</c> <c>[batch, in]</c>.
/// As the first layer of a network trained on sparse rows, x comes in compressed sparse row form
/// (<see cref="ForwardProductSparse"/>, <see cref="BackwardSparse"/>): the product and <c>dW</c> then run over the
/// non-zeros of x only (<see cref="SparseProduct"/>), and no <c>dx</c> is computed.
/// </remarks>
internal sealed class Dense : Layer
{
    private readonly ParameterSpec[] _parameters;
    private TensorView _weight;
    private TensorView _bias;
    private TensorView _weightGradient;
    private TensorView _biasGradient;
    private bool _bound;
    private bool _valuesOnly;

    /// <summary>Creates a layer mapping <paramref name="inputSize"/> values to <paramref name="outputSize"/>.</summary>
    public Dense(int inputSize, int outputSize, bool useBias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        InputSize = inputSize;
        OutputSize = outputSize;
        UseBias = useBias;
        var weight = new ParameterSpec("weight", [outputSize, inputSize], ParameterRole.Weight);
        _parameters = useBias ? [weight, new ParameterSpec("bias", [outputSize], ParameterRole.Bias)] : [weight];
    }

    /// <inheritdoc/>
    public override int InputSize { get; }

    /// <inheritdoc/>
    public override int OutputSize { get; }

    /// <summary>Whether the layer has a bias.</summary>
    public bool UseBias { get; }

    /// <summary><c>weight [out, in]</c>, then <c>bias [out]</c> when the layer has one.</summary>
    public override IReadOnlyList<ParameterSpec> Parameters => _parameters;

    /// <inheritdoc/>
    public override void Bind(TensorView[] parameters, TensorView[] gradients, TensorView[] buffers)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (i >= parameters.Length || i >= gradients.Length || parameters[i].Length != _parameters[i].Length || gradients[i].Length != _parameters[i].Length)
            {
                throw new ArgumentException($"Dense {InputSize}→{OutputSize}: expected views for {string.Join(", ", _parameters.Select(p => $"{p.Name} ({p.Length})"))}; received {parameters.Length} parameter and {gradients.Length} gradient views.");
            }
        }

        _weight = parameters[0];
        _weightGradient = gradients[0];
        if (UseBias)
        {
            _bias = parameters[1];
            _biasGradient = gradients[1];
        }

        _bound = true;
    }

    /// <summary>
    /// Binds values of the layer's own, for forward passes only (an inference layer folded from others): no gradient
    /// views, so <see cref="Backward"/> must not be called.
    /// </summary>
    public void BindValues(ArraySegment<float> weight, ArraySegment<float>? bias)
    {
        if (weight.Array is null || weight.Count != _parameters[0].Length || UseBias != bias is not null || (bias is { } b && (b.Array is null || b.Count != OutputSize)))
        {
            throw new ArgumentException($"Dense {InputSize}→{OutputSize}: expected weight ({_parameters[0].Length}){(UseBias ? $" and bias ({OutputSize})" : string.Empty)}; received {weight.Count} and {bias?.Count ?? 0}.");
        }

        _weight = new TensorView(weight.Array, weight.Offset, weight.Count);
        if (bias is { } values)
        {
            _bias = new TensorView(values.Array!, values.Offset, values.Count);
        }

        _bound = true;
        _valuesOnly = true;
    }

    /// <summary>The weight <c>[out, in]</c>.</summary>
    public ReadOnlySpan<float> Weight
    {
        get
        {
            EnsureBound();
            return _weight.Span;
        }
    }

    /// <summary>The bias <c>[out]</c>, empty when the layer has none.</summary>
    public ReadOnlySpan<float> Bias
    {
        get
        {
            EnsureBound();
            return UseBias ? _bias.Span : [];
        }
    }

    /// <summary>Writes <c>y = x·Wᵀ + b</c>.</summary>
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
    {
        ForwardProduct(input, output, batch, context);
        if (UseBias)
        {
            FinishRows(output, batch);
        }
    }

    /// <summary>The bias is added row by row after the product.</summary>
    public override bool HasRowwiseFinish => UseBias;

    /// <summary>Writes <c>y = x·Wᵀ</c>.</summary>
    public override void ForwardProduct(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
    {
        EnsureBound();
        Gemm.Multiply(false, true, batch, OutputSize, InputSize, input, _weight.Span, output, accumulate: false, context.Threads);
    }

    /// <summary>
    /// Writes <c>y = x·Wᵀ</c> for <paramref name="batch"/> sparse rows x (<paramref name="values"/> at the columns
    /// <paramref name="indices"/>, row r from <c>rowStarts[r]</c> to <c>rowStarts[r + 1]</c>), reading only the non-zeros;
    /// <see cref="FinishRows"/> adds the bias.
    /// </summary>
    public void ForwardProductSparse(ReadOnlySpan<float> values, ReadOnlySpan<int> indices, ReadOnlySpan<int> rowStarts, Span<float> output, int batch, LayerContext context)
    {
        EnsureBound();
        SparseProduct.MultiplyTransposed(batch, OutputSize, InputSize, values, indices, rowStarts, _weight.Span, output, context.Threads);
    }

    /// <summary>Adds the bias to each row.</summary>
    public override void FinishRows(Span<float> output, int rows)
    {
        ReadOnlySpan<float> bias = _bias.Span;
        for (var r = 0; r < rows; r++)
        {
            var row = output.Slice(r * OutputSize, OutputSize);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>Accumulates (or writes) <c>dW += dyᵀ·x</c> and <c>db += Σ_rows dy</c>; writes <c>dx = dy·W</c> when asked for.</summary>
    public override void Backward(
        ReadOnlySpan<float> input,
        ReadOnlySpan<float> output,
        ReadOnlySpan<float> outputGradient,
        Span<float> inputGradient,
        int batch,
        LayerContext context)
    {
        EnsureBound();
        if (_valuesOnly)
        {
            throw new InvalidOperationException($"Dense {InputSize}→{OutputSize}: this layer was bound for inference only and has no gradients.");
        }

        // dW [out, in] += dyᵀ·x: A = dy stored [batch, out] = [k, m], B = x [batch, in] = [k, n].
        Gemm.Multiply(true, false, OutputSize, InputSize, batch, outputGradient, input, _weightGradient.Span, context.AccumulateGradients, context.Threads);
        BiasBackward(outputGradient, batch, context);
        if (!inputGradient.IsEmpty)
        {
            // dx [batch, in] = dy [batch, out] · W [out, in].
            Gemm.Multiply(false, false, batch, InputSize, OutputSize, outputGradient, _weight.Span, inputGradient, accumulate: false, context.Threads);
        }
    }

    /// <summary>
    /// The backward pass of <see cref="ForwardProductSparse"/> as a first layer: accumulates (or writes) <c>dW += dyᵀ·x</c>
    /// over the non-zeros of the sparse rows x and <c>db += Σ_rows dy</c>; no input gradient.
    /// </summary>
    public void BackwardSparse(ReadOnlySpan<float> values, ReadOnlySpan<int> indices, ReadOnlySpan<int> rowStarts, ReadOnlySpan<float> outputGradient, int batch, LayerContext context)
    {
        EnsureBound();
        if (_valuesOnly)
        {
            throw new InvalidOperationException($"Dense {InputSize}→{OutputSize}: this layer was bound for inference only and has no gradients.");
        }

        SparseProduct.TransposeMultiply(batch, OutputSize, InputSize, outputGradient, values, indices, rowStarts, _weightGradient.Span, context.AccumulateGradients, context.Threads);
        BiasBackward(outputGradient, batch, context);
    }

    /// <summary>Accumulates (or writes) <c>db += Σ_rows dy</c> when the layer has a bias.</summary>
    private void BiasBackward(ReadOnlySpan<float> outputGradient, int batch, LayerContext context)
    {
        if (!UseBias)
        {
            return;
        }

        var biasGradient = _biasGradient.Span;
        if (!context.AccumulateGradients)
        {
            biasGradient.Clear();
        }

        for (var r = 0; r < batch; r++)
        {
            TensorPrimitives.Add(biasGradient, outputGradient.Slice(r * OutputSize, OutputSize), biasGradient);
        }
    }

    private void EnsureBound()
    {
        if (!_bound)
        {
            throw new InvalidOperationException("Dense: Bind must be called before Forward or Backward.");
        }
    }
}
