using System.Numerics.Tensors;
using MlNetDeep.Compute;

namespace MlNetDeep.Layers;

/// <summary>
/// The linear layer of a parameter-efficient ensemble (BatchEnsemble, as in TabM): one weight shared by all members,
/// and for member <c>i</c> an input scale <c>r_i</c>, an output scale <c>s_i</c> and a bias <c>b_i</c>:
/// <c>y_i = ((x_i ⊙ r_i)·Wᵀ) ⊙ s_i + b_i</c>. All members' rows go through one product with <c>W</c>.
/// </summary>
/// <remarks>
/// Shapes: input <c>[batch, k·in]</c> and output <c>[batch, k·out]</c>, member <c>i</c> of row <c>b</c> at row
/// <c>b·k + i</c> of the views <c>[batch·k, in]</c> and <c>[batch·k, out]</c>; <c>weight [out, in]</c>, <c>r [k, in]</c>
/// (random ±1 signs in the ensemble's first layer, else ones), <c>s [k, out]</c> (ones), <c>bias [k, out]</c> (zeros;
/// omitted before a batch normalization). Backward, with <c>u = x ⊙ r</c>, <c>h = u·Wᵀ</c>, <c>g = dy ⊙ s</c>:
/// <c>ds_i = Σ dy ⊙ h</c>, <c>db_i = Σ dy</c>, <c>dW = gᵀ·u</c>, <c>du = g·W</c>, <c>dr_i = Σ du ⊙ x</c>, <c>dx = du ⊙ r</c>
/// (sums over member i's rows). When the members' inputs are the same rows (the ensemble's first layer, after
/// <see cref="EnsembleExpand"/>) and no input gradient is asked for, backward needs no <c>du</c>: with
/// <c>P_i = g_iᵀ·x [out, in]</c>, all members' in one product <c>[in, k·out] = xᵀ·g</c> over the batch's rows,
/// <c>dW = Σ_i P_i·diag(r_i)</c> and <c>dr_i[j] = Σ_o W[o, j]·P_i[o, j]</c>, half the multiply-adds of <c>dW</c> and <c>du</c>.
/// </remarks>
internal sealed class BatchEnsembleDense : Layer
{
    private readonly ParameterSpec[] _parameters;
    private TensorView _weight;
    private TensorView _weightGradient;
    private TensorView _r;
    private TensorView _rGradient;
    private TensorView _s;
    private TensorView _sGradient;
    private TensorView _bias;
    private TensorView _biasGradient;
    private float[] _scaled = [];
    private float[] _product = [];
    private float[] _scratch = [];
    private float[] _inputScratch = [];
    private float[] _transposed = [];
    private float[] _memberProducts = [];
    private float[] _weightTransposed = [];
    private float[] _row = [];

    /// <summary>Creates the layer for <paramref name="members"/> members mapping <paramref name="inputSize"/> values to <paramref name="outputSize"/>.</summary>
    /// <param name="inputSize">Values per member in, <c>in</c>.</param>
    /// <param name="outputSize">Values per member out, <c>out</c>.</param>
    /// <param name="members">The members, k.</param>
    /// <param name="useBias">Whether the members have biases.</param>
    /// <param name="randomSigns">Whether <c>r</c> starts as random ±1 signs (the ensemble's first layer, so the members differ from the start) rather than ones.</param>
    /// <param name="sharedInput">Whether every member's input is the same row (the layer follows <see cref="EnsembleExpand"/>).</param>
    public BatchEnsembleDense(int inputSize, int outputSize, int members, bool useBias, bool randomSigns, bool sharedInput = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        MemberInputSize = inputSize;
        MemberOutputSize = outputSize;
        Members = members;
        UseBias = useBias;
        SharedInput = sharedInput;
        var r = new ParameterSpec("r", [members, inputSize], ParameterRole.Scale, 1f);
        if (randomSigns)
        {
            r = r with
            {
                Initializer = (values, random) =>
                {
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = (random.NextUInt64() & 1) == 0 ? -1f : 1f;
                    }
                },
            };
        }

        ParameterSpec[] parameters =
        [
            new ParameterSpec("weight", [outputSize, inputSize], ParameterRole.Weight),
            r,
            new ParameterSpec("s", [members, outputSize], ParameterRole.Scale, 1f),
        ];
        _parameters = useBias ? [.. parameters, new ParameterSpec("bias", [members, outputSize], ParameterRole.Bias)] : parameters;
    }

    /// <summary>Values per member in.</summary>
    public int MemberInputSize { get; }

    /// <summary>Values per member out.</summary>
    public int MemberOutputSize { get; }

    /// <summary>The members, k.</summary>
    public int Members { get; }

    /// <summary>Whether the members have biases.</summary>
    public bool UseBias { get; }

    /// <summary>Whether every member's input is the same row, so backward can skip <c>du</c> when no input gradient is asked for.</summary>
    public bool SharedInput { get; }

    /// <inheritdoc/>
    public override int InputSize => MemberInputSize * Members;

    /// <inheritdoc/>
    public override int OutputSize => MemberOutputSize * Members;

    /// <summary><c>weight [out, in]</c>, <c>r [k, in]</c>, <c>s [k, out]</c>, then <c>bias [k, out]</c> when the members have one.</summary>
    public override IReadOnlyList<ParameterSpec> Parameters => _parameters;

    /// <inheritdoc/>
    public override void Bind(TensorView[] parameters, TensorView[] gradients, TensorView[] buffers)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        if (parameters.Length != _parameters.Length || gradients.Length != _parameters.Length)
        {
            throw new ArgumentException($"BatchEnsembleDense: expected {_parameters.Length} parameter and gradient views.");
        }

        (_weight, _weightGradient) = (parameters[0], gradients[0]);
        (_r, _rGradient) = (parameters[1], gradients[1]);
        (_s, _sGradient) = (parameters[2], gradients[2]);
        if (UseBias)
        {
            (_bias, _biasGradient) = (parameters[3], gradients[3]);
        }
    }

    /// <inheritdoc/>
    public override void Allocate(int maxBatch)
    {
        _scaled = new float[maxBatch * InputSize];
        _product = new float[maxBatch * OutputSize];
        _scratch = new float[maxBatch * OutputSize];
        _inputScratch = new float[maxBatch * InputSize];
        _transposed = NarrowInput ? new float[Math.Max(maxBatch * InputSize, MemberInputSize * MemberOutputSize)] : [];
        _memberProducts = SharedInput ? new float[MemberInputSize * OutputSize] : [];
        _weightTransposed = SharedInput ? new float[MemberInputSize * MemberOutputSize] : [];
        _row = SharedInput ? new float[MemberOutputSize] : [];
    }

    /// <summary>
    /// Whether a member's input is narrower than the widest GEMM micro-tile (32 columns) while its output is not, as in
    /// an ensemble's first layer on few features. Backward's two products with <c>in</c> columns, <c>dW [out, in]</c> and
    /// <c>du [k·batch, in]</c>, would fill little of each tile; their transposes, with <c>in</c> rows, are computed
    /// instead (on 16 features, 256 units, 4 members and 256 rows, each about twice as fast).
    /// </summary>
    private bool NarrowInput => MemberInputSize < NarrowWidth && MemberOutputSize >= NarrowWidth;

    /// <summary>Columns of the widest GEMM micro-tile.</summary>
    private const int NarrowWidth = 32;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
    {
        var rows = batch * Members;
        int inputs = MemberInputSize, outputs = MemberOutputSize;

        // A row [k·in] of the batch holds its k members side by side, as r [k, in] holds theirs: u = x ⊙ r is one product of
        // whole rows with r, and y = h ⊙ s + b one of whole rows [k·out] with s and the bias.
        var scaled = _scaled.AsSpan(0, rows * inputs);
        ScaleRows(input, _r.Span, scaled, batch);
        var product = _product.AsSpan(0, rows * outputs);
        Gemm.Multiply(false, true, rows, outputs, inputs, scaled, _weight.Span, product, accumulate: false, context.Threads);
        ReadOnlySpan<float> s = _s.Span;
        var width = OutputSize;
        if (UseBias)
        {
            ReadOnlySpan<float> bias = _bias.Span;
            for (var b = 0; b < batch; b++)
            {
                TensorPrimitives.FusedMultiplyAdd(product.Slice(b * width, width), s, bias, output.Slice(b * width, width));
            }
        }
        else
        {
            ScaleRows(product, s, output, batch);
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
        var rows = batch * Members;
        int inputs = MemberInputSize, outputs = MemberOutputSize;
        var accumulate = context.AccumulateGradients;
        var ds = _sGradient.Span;
        var dr = _rGradient.Span;
        var db = UseBias ? _biasGradient.Span : default;
        if (!accumulate)
        {
            ds.Clear();
            dr.Clear();
            db.Clear();
        }

        // Whole rows [k·out]: each member's sums ds_i and db_i gather its rows in order, as member by member would.
        ReadOnlySpan<float> product = _product.AsSpan(0, rows * outputs);
        var width = OutputSize;
        for (var b = 0; b < batch; b++)
        {
            var dy = outputGradient.Slice(b * width, width);
            TensorPrimitives.FusedMultiplyAdd(dy, product.Slice(b * width, width), ds, ds);
            if (UseBias)
            {
                TensorPrimitives.Add(db, dy, db);
            }
        }

        var g = _scratch.AsSpan(0, rows * outputs);
        ScaleRows(outputGradient, _s.Span, g, batch);

        if (SharedInput && inputGradient.IsEmpty)
        {
            SharedInputBackward(input, g, batch, accumulate, context.Threads);
            return;
        }

        ReadOnlySpan<float> scaled = _scaled.AsSpan(0, rows * inputs);
        var du = _inputScratch.AsSpan(0, rows * inputs);
        if (NarrowInput)
        {
            // dWᵀ [in, out] = uᵀ·g, added (or written) transposed into dW; duᵀ [in, k·batch] = Wᵀ·gᵀ, transposed into du.
            var weightGradientT = _transposed.AsSpan(0, inputs * outputs);
            Gemm.Multiply(true, false, inputs, outputs, rows, scaled, g, weightGradientT, accumulate: false, context.Threads);
            Transpose(weightGradientT, inputs, outputs, _weightGradient.Span, accumulate);
            var duT = _transposed.AsSpan(0, rows * inputs);
            Gemm.Multiply(true, true, inputs, rows, outputs, _weight.Span, g, duT, accumulate: false, context.Threads);
            Transpose(duT, inputs, rows, du, accumulate: false);
        }
        else
        {
            Gemm.Multiply(true, false, outputs, inputs, rows, g, scaled, _weightGradient.Span, accumulate, context.Threads);
            Gemm.Multiply(false, false, rows, inputs, outputs, g, _weight.Span, du, accumulate: false, context.Threads);
        }

        width = InputSize;
        for (var b = 0; b < batch; b++)
        {
            TensorPrimitives.FusedMultiplyAdd(du.Slice(b * width, width), input.Slice(b * width, width), dr, dr);
        }

        if (!inputGradient.IsEmpty)
        {
            ScaleRows(du, _r.Span, inputGradient, batch);
        }
    }

    /// <summary>
    /// <c>dW</c> and <c>dr</c> when every member's input is the same row <c>x</c> (see the remarks): <c>Pᵀ [in, k·out] = xᵀ·g</c>,
    /// then for each input column j, <c>dr_i[j] += W[:, j]·P_i[:, j]</c> and <c>dW[:, j] (+)= Σ_i r_i[j]·P_i[:, j]</c>.
    /// </summary>
    private void SharedInputBackward(ReadOnlySpan<float> input, ReadOnlySpan<float> g, int batch, bool accumulate, int threads)
    {
        int inputs = MemberInputSize, outputs = MemberOutputSize, width = OutputSize;
        var x = _inputScratch.AsSpan(0, batch * inputs);
        for (var b = 0; b < batch; b++)
        {
            input.Slice(b * InputSize, inputs).CopyTo(x.Slice(b * inputs, inputs));
        }

        var products = _memberProducts.AsSpan(0, inputs * width);
        Gemm.Multiply(true, false, inputs, width, batch, x, g, products, accumulate: false, threads);
        var weightT = _weightTransposed.AsSpan(0, inputs * outputs);
        Transpose(_weight.Span, outputs, inputs, weightT, accumulate: false);
        ReadOnlySpan<float> r = _r.Span;
        var dr = _rGradient.Span;
        var dW = _weightGradient.Span;
        var column = _row.AsSpan(0, outputs);
        for (var j = 0; j < inputs; j++)
        {
            var weightColumn = weightT.Slice(j * outputs, outputs);
            column.Clear();
            for (var i = 0; i < Members; i++)
            {
                var product = products.Slice((j * width) + (i * outputs), outputs);
                dr[(i * inputs) + j] += TensorPrimitives.Dot(weightColumn, product);
                TensorPrimitives.MultiplyAdd(product, r[(i * inputs) + j], column, column);
            }

            for (var o = 0; o < outputs; o++)
            {
                var at = (o * inputs) + j;
                dW[at] = accumulate ? dW[at] + column[o] : column[o];
            }
        }
    }

    /// <summary>Writes (or adds) <c>target[j, i] (+)= source[i, j]</c> for <paramref name="source"/> <c>[rows, columns]</c>.</summary>
    private static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> target, bool accumulate)
    {
        for (var j = 0; j < columns; j++)
        {
            var row = target.Slice(j * rows, rows);
            for (var i = 0; i < rows; i++)
            {
                var value = source[(i * columns) + j];
                row[i] = accumulate ? row[i] + value : value;
            }
        }
    }

    /// <summary>Writes <c>target[b, :] = source[b, :] ⊙ scale</c> for the <paramref name="batch"/> rows of <c>scale.Length</c> values.</summary>
    private static void ScaleRows(ReadOnlySpan<float> source, ReadOnlySpan<float> scale, Span<float> target, int batch)
    {
        var width = scale.Length;
        for (var b = 0; b < batch; b++)
        {
            TensorPrimitives.Multiply(source.Slice(b * width, width), scale, target.Slice(b * width, width));
        }
    }
}
