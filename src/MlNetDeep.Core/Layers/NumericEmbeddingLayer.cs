using System.Numerics.Tensors;
using MlNetDeep.Compute;

namespace MlNetDeep.Layers;

/// <summary>
/// Embeds every numeric feature in a vector of its own and concatenates the vectors (<see cref="NumericEmbedding"/>):
/// each feature's value is encoded in <c>E</c> values (periodic: <c>[cos 2πc·x, sin 2πc·x]</c> over <c>K</c> learned
/// frequencies, <c>E = 2K</c>; piecewise linear: <c>E = T</c> bins), then mapped by a linear layer of the feature's own (one
/// shared by all features for <see cref="NumericEmbedding.PeriodicLite"/>) and a ReLU.
/// </summary>
/// <remarks>
/// <para>
/// Shapes: input <c>x [batch, F]</c>; output <c>y [batch, F·d]</c>, feature f's vector at <c>[f·d, (f+1)·d)</c>. Tensors:
/// <c>embedding.frequencies [F, K]</c> (periodic; drawn from N(0, σ²) truncated at ±3σ, not decayed),
/// <c>embedding.weight [F, d, E]</c> and <c>embedding.bias [F, d]</c> (<c>[d, E]</c> and <c>[d]</c> when shared; both drawn
/// uniformly from ±1/√E, as PyTorch's linear layers; the weight is decayed), and for the piecewise-linear encoding the
/// buffers <c>embedding.edges [F, T+1]</c> and <c>embedding.bins [F]</c> (the bins each feature uses), fitted before training.
/// </para>
/// <para>
/// Definitions (the reference files <c>embedding_periodic*.json</c> and <c>embedding_piecewise_linear.json</c>): periodic
/// <c>v_k = 2π·c[f,k]·x</c>, <c>p = [cos v_1..v_K, sin v_1..v_K]</c>; piecewise linear <c>u_t = (x − e_t)/(e_{t+1} − e_t)</c>,
/// bin 0 <c>min(u_0, 1)</c>, middle bins <c>clamp(u_t, 0, 1)</c>, the last used bin <c>max(u, 0)</c>, unused bins 0;
/// then <c>y_f = ReLU(W_f·p + b_f)</c>. Backward, with <c>g = dy·[y > 0]</c>: <c>dW_f += gᵀ·p</c>, <c>db_f += Σ g</c>,
/// <c>dp = g·W_f</c>; periodic <c>dv_k = −dp_cos,k·sin v_k + dp_sin,k·cos v_k</c>, <c>dc[f,k] += Σ_b dv_k·2π·x</c>,
/// <c>dx = Σ_k dv_k·2π·c[f,k]</c>; piecewise linear <c>dx = Σ_t dp_t·∂enc_t/∂x</c>.
/// </para>
/// </remarks>
internal sealed class NumericEmbeddingLayer : Layer
{
    private const float TwoPi = 2 * MathF.PI;

    private readonly ParameterSpec[] _parameters;
    private readonly ParameterSpec[] _buffers;
    private readonly bool _shared;
    private readonly bool _periodic;
    private TensorView _frequencies;
    private TensorView _frequencyGradient;
    private TensorView _weight;
    private TensorView _weightGradient;
    private TensorView _bias;
    private TensorView _biasGradient;
    private TensorView _edges;
    private TensorView _bins;
    private float[] _encoding = [];
    private float[] _encodingGradient = [];
    private float[] _hidden = [];
    private int _maxBatch;

    /// <summary>Creates the embedding of <paramref name="features"/> features by <paramref name="kind"/>.</summary>
    /// <param name="features">Features per row, F.</param>
    /// <param name="kind">The embedding (not <see cref="NumericEmbedding.None"/>).</param>
    /// <param name="dimension">Values per feature, d.</param>
    /// <param name="frequencies">Frequencies per feature of the periodic embeddings, K.</param>
    /// <param name="frequencyScale">σ of the initial frequencies.</param>
    /// <param name="bins">Bins per feature of the piecewise-linear encoding, T.</param>
    public NumericEmbeddingLayer(int features, NumericEmbedding kind, int dimension, int frequencies, float frequencyScale, int bins)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (kind == NumericEmbedding.None || !Enum.IsDefined(kind))
        {
            throw new ArgumentException($"NumericEmbeddingLayer needs an embedding. Received: {kind}.", nameof(kind));
        }

        Features = features;
        Kind = kind;
        Dimension = dimension;
        _periodic = kind != NumericEmbedding.PiecewiseLinear;
        _shared = kind == NumericEmbedding.PeriodicLite;
        Frequencies = _periodic ? frequencies : 0;
        Bins = _periodic ? 0 : bins;
        EncodingSize = _periodic ? 2 * frequencies : bins;
        if (EncodingSize < 1 || (!_periodic && bins < 2))
        {
            throw new ArgumentOutOfRangeException(_periodic ? nameof(frequencies) : nameof(bins));
        }

        var bound = 1 / MathF.Sqrt(EncodingSize);
        Action<Span<float>, RandomGenerator> uniform = (values, random) =>
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ((2 * random.NextSingle()) - 1) * bound;
            }
        };
        var linear = new[]
        {
            new ParameterSpec("embedding.weight", _shared ? [dimension, EncodingSize] : [features, dimension, EncodingSize], ParameterRole.Weight) { Initializer = uniform },
            new ParameterSpec("embedding.bias", _shared ? [dimension] : [features, dimension], ParameterRole.Bias) { Initializer = uniform },
        };
        if (_periodic)
        {
            var sigma = frequencyScale;
            _parameters =
            [
                new ParameterSpec("embedding.frequencies", [features, frequencies], ParameterRole.ActivationParameter)
                {
                    Initializer = (values, random) =>
                    {
                        for (var i = 0; i < values.Length; i++)
                        {
                            double z;
                            do
                            {
                                z = random.NextGaussian();
                            }
                            while (Math.Abs(z) > 3);
                            values[i] = (float)(z * sigma);
                        }
                    },
                },
                .. linear,
            ];
            _buffers = [];
        }
        else
        {
            _parameters = linear;
            _buffers =
            [
                new ParameterSpec("embedding.edges", [features, bins + 1], ParameterRole.FittedStatistic),
                new ParameterSpec("embedding.bins", [features], ParameterRole.FittedStatistic, bins),
            ];
        }
    }

    /// <summary>Features per row, F.</summary>
    public int Features { get; }

    /// <summary>The embedding.</summary>
    public NumericEmbedding Kind { get; }

    /// <summary>Values per feature, d.</summary>
    public int Dimension { get; }

    /// <summary>Frequencies per feature (periodic), K; 0 otherwise.</summary>
    public int Frequencies { get; }

    /// <summary>Bins per feature (piecewise linear), T; 0 otherwise.</summary>
    public int Bins { get; }

    /// <summary>Values encoding one feature, E.</summary>
    public int EncodingSize { get; }

    /// <inheritdoc/>
    public override int InputSize => Features;

    /// <inheritdoc/>
    public override int OutputSize => Features * Dimension;

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterSpec> Parameters => _parameters;

    /// <inheritdoc/>
    public override IReadOnlyList<ParameterSpec> Buffers => _buffers;

    /// <summary>The bin edges <c>[F, T+1]</c> (piecewise linear), written by the trainer when it fits them.</summary>
    public Span<float> Edges => _edges.Span;

    /// <summary>The bins each feature uses, <c>[F]</c> (piecewise linear), written with <see cref="Edges"/>.</summary>
    public Span<float> BinCounts => _bins.Span;

    /// <inheritdoc/>
    public override void Bind(TensorView[] parameters, TensorView[] gradients, TensorView[] buffers)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(buffers);
        if (parameters.Length != _parameters.Length || gradients.Length != _parameters.Length || buffers.Length != _buffers.Length)
        {
            throw new ArgumentException($"NumericEmbeddingLayer: expected {_parameters.Length} parameter and {_buffers.Length} buffer views.");
        }

        var next = 0;
        if (_periodic)
        {
            _frequencies = parameters[0];
            _frequencyGradient = gradients[0];
            next = 1;
        }
        else
        {
            _edges = buffers[0];
            _bins = buffers[1];
        }

        _weight = parameters[next];
        _weightGradient = gradients[next];
        _bias = parameters[next + 1];
        _biasGradient = gradients[next + 1];
    }

    /// <inheritdoc/>
    public override void Allocate(int maxBatch)
    {
        _maxBatch = maxBatch;
        _encoding = new float[(long)maxBatch * Features * EncodingSize is var e and <= int.MaxValue ? (int)e : throw new ArgumentOutOfRangeException(nameof(maxBatch))];
        _encodingGradient = new float[_encoding.Length];
        _hidden = new float[maxBatch * Features * Dimension];
    }

    /// <summary>Where feature f of row b is encoded: rows then features when the linear map is shared (one product over all), features then rows otherwise.</summary>
    private int EncodingOffset(int feature, int row, int batch)
        => (_shared ? (row * Features) + feature : (feature * batch) + row) * EncodingSize;

    /// <inheritdoc/>
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, LayerContext context)
    {
        if (batch > _maxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), $"Batch of {batch} rows exceeds the allocated {_maxBatch}.");
        }

        var threads = context.Threads;
        if (_shared)
        {
            var encode = new FeatureWork(this, input, output, [], [], [], batch, FeatureStep.Encode);
            WorkerPool.Shared.Run(Features, Parts(batch, threads), ref encode);
            // All rows and features at once: [batch·F, E] · Wᵀ → [batch·F, d], which is y's layout.
            Gemm.Multiply(false, true, batch * Features, Dimension, EncodingSize, _encoding, _weight.Span, output[..(batch * OutputSize)], accumulate: false, threads);
            var bias = _bias.Span;
            for (var i = 0; i < batch * Features; i++)
            {
                var row = output.Slice(i * Dimension, Dimension);
                TensorPrimitives.Add(row, bias, row);
                TensorPrimitives.Max(row, 0f, row);
            }

            return;
        }

        var work = new FeatureWork(this, input, output, [], [], [], batch, FeatureStep.Forward);
        WorkerPool.Shared.Run(Features, Parts(batch, threads), ref work);
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
        var threads = context.Threads;
        var accumulate = context.AccumulateGradients;
        if (_shared)
        {
            // g = dy·[y > 0] in the layout of y, [batch·F, d].
            var g = _hidden.AsSpan(0, batch * OutputSize);
            for (var i = 0; i < g.Length; i++)
            {
                g[i] = output[i] > 0 ? outputGradient[i] : 0f;
            }

            Gemm.Multiply(true, false, Dimension, EncodingSize, batch * Features, g, _encoding, _weightGradient.Span, accumulate, threads);
            var biasGradient = _biasGradient.Span;
            if (!accumulate)
            {
                biasGradient.Clear();
            }

            for (var i = 0; i < batch * Features; i++)
            {
                TensorPrimitives.Add(biasGradient, g.Slice(i * Dimension, Dimension), biasGradient);
            }

            Gemm.Multiply(false, false, batch * Features, EncodingSize, Dimension, g, _weight.Span, _encodingGradient.AsSpan(0, batch * Features * EncodingSize), accumulate: false, threads);
            var decode = new FeatureWork(this, input, [], output, outputGradient, inputGradient, batch, FeatureStep.EncodingBackward) { Accumulate = accumulate };
            WorkerPool.Shared.Run(Features, Parts(batch, threads), ref decode);
            return;
        }

        var work = new FeatureWork(this, input, [], output, outputGradient, inputGradient, batch, FeatureStep.Backward) { Accumulate = accumulate };
        WorkerPool.Shared.Run(Features, Parts(batch, threads), ref work);
    }

    /// <summary>Threads worth using: small batches run on one.</summary>
    private int Parts(int batch, int threads) => (long)batch * OutputSize * EncodingSize < 64 * 1024 ? 1 : threads;

    /// <summary>Encodes feature f of every row into its slots of the encoding.</summary>
    private void Encode(int f, ReadOnlySpan<float> input, int batch)
    {
        var e = EncodingSize;
        if (_periodic)
        {
            var k = Frequencies;
            ReadOnlySpan<float> c = _frequencies.Span.Slice(f * k, k);
            for (var b = 0; b < batch; b++)
            {
                var x = input[(b * Features) + f];
                var slot = _encoding.AsSpan(EncodingOffset(f, b, batch), e);
                for (var j = 0; j < k; j++)
                {
                    var (sin, cos) = MathF.SinCos(TwoPi * c[j] * x);
                    slot[j] = cos;
                    slot[k + j] = sin;
                }
            }

            return;
        }

        ReadOnlySpan<float> edges = _edges.Span.Slice(f * (Bins + 1), Bins + 1);
        var used = (int)_bins.Span[f];
        for (var b = 0; b < batch; b++)
        {
            var x = input[(b * Features) + f];
            var slot = _encoding.AsSpan(EncodingOffset(f, b, batch), e);
            slot.Clear();
            for (var t = 0; t < used; t++)
            {
                var width = edges[t + 1] - edges[t];
                if (!(width > 0))
                {
                    continue;
                }

                var u = (x - edges[t]) / width;
                slot[t] = used == 1 ? u : t == 0 ? MathF.Min(u, 1f) : t == used - 1 ? MathF.Max(u, 0f) : Math.Clamp(u, 0f, 1f);
            }
        }
    }

    /// <summary>The gradient of feature f's encoding with respect to x, given the encoding's gradient: writes <c>dx</c> and adds <c>dc</c>.</summary>
    private void EncodingBackward(int f, ReadOnlySpan<float> input, Span<float> inputGradient, int batch, bool accumulate)
    {
        var e = EncodingSize;
        if (_periodic)
        {
            var k = Frequencies;
            ReadOnlySpan<float> c = _frequencies.Span.Slice(f * k, k);
            var dc = _frequencyGradient.Span.Slice(f * k, k);
            if (!accumulate)
            {
                dc.Clear();
            }

            for (var b = 0; b < batch; b++)
            {
                var offset = EncodingOffset(f, b, batch);
                ReadOnlySpan<float> p = _encoding.AsSpan(offset, e);
                ReadOnlySpan<float> dp = _encodingGradient.AsSpan(offset, e);
                var x = input[(b * Features) + f];
                float dx = 0;
                for (var j = 0; j < k; j++)
                {
                    // d cos v = −sin v, d sin v = cos v.
                    var dv = TwoPi * ((-dp[j] * p[k + j]) + (dp[k + j] * p[j]));
                    dc[j] += dv * x;
                    dx += dv * c[j];
                }

                if (!inputGradient.IsEmpty)
                {
                    inputGradient[(b * Features) + f] = dx;
                }
            }

            return;
        }

        if (inputGradient.IsEmpty)
        {
            return;
        }

        ReadOnlySpan<float> edges = _edges.Span.Slice(f * (Bins + 1), Bins + 1);
        var used = (int)_bins.Span[f];
        for (var b = 0; b < batch; b++)
        {
            var offset = EncodingOffset(f, b, batch);
            ReadOnlySpan<float> p = _encoding.AsSpan(offset, e);
            ReadOnlySpan<float> dp = _encodingGradient.AsSpan(offset, e);
            float dx = 0;
            for (var t = 0; t < used; t++)
            {
                var width = edges[t + 1] - edges[t];
                var u = p[t];
                var active = width > 0 && (used == 1 || (t == 0 ? u < 1 : t == used - 1 ? u > 0 : u > 0 && u < 1));
                if (active)
                {
                    dx += dp[t] / width;
                }
            }

            inputGradient[(b * Features) + f] = dx;
        }
    }

    /// <summary>Feature f through its own linear map and ReLU, forward.</summary>
    private void ForwardFeature(int f, ReadOnlySpan<float> input, Span<float> output, int batch)
    {
        Encode(f, input, batch);
        var d = Dimension;
        var e = EncodingSize;
        var hidden = _hidden.AsSpan(f * batch * d, batch * d);
        Gemm.Multiply(false, true, batch, d, e, _encoding.AsSpan(f * batch * e, batch * e), _weight.Span.Slice(f * d * e, d * e), hidden, accumulate: false);
        ReadOnlySpan<float> bias = _bias.Span.Slice(f * d, d);
        for (var b = 0; b < batch; b++)
        {
            var target = output.Slice((b * OutputSize) + (f * d), d);
            TensorPrimitives.Add(hidden.Slice(b * d, d), bias, target);
            TensorPrimitives.Max(target, 0f, target);
        }
    }

    /// <summary>Feature f through its own linear map and ReLU, backward.</summary>
    private void BackwardFeature(int f, ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch, bool accumulate)
    {
        var d = Dimension;
        var e = EncodingSize;
        var g = _hidden.AsSpan(f * batch * d, batch * d);
        for (var b = 0; b < batch; b++)
        {
            var at = (b * OutputSize) + (f * d);
            for (var j = 0; j < d; j++)
            {
                g[(b * d) + j] = output[at + j] > 0 ? outputGradient[at + j] : 0f;
            }
        }

        var encoding = _encoding.AsSpan(f * batch * e, batch * e);
        Gemm.Multiply(true, false, d, e, batch, g, encoding, _weightGradient.Span.Slice(f * d * e, d * e), accumulate);
        var biasGradient = _biasGradient.Span.Slice(f * d, d);
        if (!accumulate)
        {
            biasGradient.Clear();
        }

        for (var b = 0; b < batch; b++)
        {
            TensorPrimitives.Add(biasGradient, g.Slice(b * d, d), biasGradient);
        }

        Gemm.Multiply(false, false, batch, e, d, g, _weight.Span.Slice(f * d * e, d * e), _encodingGradient.AsSpan(f * batch * e, batch * e), accumulate: false);
        EncodingBackward(f, input, inputGradient, batch, accumulate);
    }

    private enum FeatureStep
    {
        Encode,
        Forward,
        Backward,
        EncodingBackward,
    }

    /// <summary>One step over the features, feature f as part f: features share no values, so they run at once.</summary>
    private readonly ref struct FeatureWork : IParallelWork
    {
        private readonly NumericEmbeddingLayer _layer;
        private readonly ReadOnlySpan<float> _input;
        private readonly Span<float> _output;
        private readonly ReadOnlySpan<float> _forwardOutput;
        private readonly ReadOnlySpan<float> _outputGradient;
        private readonly Span<float> _inputGradient;
        private readonly int _batch;
        private readonly FeatureStep _step;

        public FeatureWork(NumericEmbeddingLayer layer, ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> forwardOutput, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batch, FeatureStep step)
        {
            _layer = layer;
            _input = input;
            _output = output;
            _forwardOutput = forwardOutput;
            _outputGradient = outputGradient;
            _inputGradient = inputGradient;
            _batch = batch;
            _step = step;
        }

        public bool Accumulate { get; init; }

        public void Execute(int part)
        {
            switch (_step)
            {
                case FeatureStep.Encode:
                    _layer.Encode(part, _input, _batch);
                    break;
                case FeatureStep.Forward:
                    _layer.ForwardFeature(part, _input, _output, _batch);
                    break;
                case FeatureStep.Backward:
                    _layer.BackwardFeature(part, _input, _forwardOutput, _outputGradient, _inputGradient, _batch, Accumulate);
                    break;
                default:
                    _layer.EncodingBackward(part, _input, _inputGradient, _batch, Accumulate);
                    break;
            }
        }
    }
}
