using MlNetDeep.ActivationFunctions;
using MlNetDeep.Layers;
using MlNetDeep.Training;

namespace MlNetDeep.Export;

/// <summary>
/// Writes a trained network's inference into an ONNX graph (<see cref="IOnnxGraph"/>), as the network's own scorer
/// computes it: the layers of its inference plan (batch normalization and, where the plan does, the input
/// standardization folded into the dense layers; dropout is the identity), then the task's outputs.
/// </summary>
/// <remarks>
/// <para>Every value between layers is <c>[N, width]</c> float32, as in the engine; an ensemble's values are
/// <c>[N, k·width]</c>, member <c>i</c> at <c>[i·width, (i+1)·width)</c>, and its layers reshape them to <c>[N, k, width]</c>
/// where a member's own values or parameters come in. Only operators of ONNX operator set 9 to 12 are used (the
/// reductions take their axes as attributes), with exact compositions where ONNX has no operator: GELU
/// (<c>x·½·(1 + erf(x/√2))</c>, or the tanh form as <c>x·σ(x·(c₁ + c₃x²))</c>), SiLU (<c>x·σ(x)</c>), Mish (as the engine
/// computes it, <c>x·n/(n + 2)</c> with <c>n = e(e + 2)</c>, <c>e = exp(min(x, 20))</c>), layer normalization, smooth
/// clipping, the quantile transform (in float64) and the numeric embeddings.</para>
/// <para>The quantile transform is written as a sum of clipped ramps, one per pair of neighbouring training quantiles,
/// so its graph holds <c>features × 999</c> float64 values per row in flight.</para>
/// </remarks>
internal static class OnnxNetworkWriter
{
    /// <summary>The lowest ONNX operator set the written graphs need.</summary>
    public const int MinimumOpSet = 9;

    /// <summary>The highest ONNX operator set whose operator forms the writer uses.</summary>
    public const int MaximumOpSet = 12;

    /// <summary>
    /// Writes the task's scores of <paramref name="network"/> for the rows in <paramref name="features"/> (<c>[N, InputSize]</c>
    /// float32) into the values <paramref name="outputs"/> names, as the model's ML.NET columns hold them: multiclass the
    /// class probabilities and the predicted class as a 1-based key; binary the logit and its sigmoid; regression the
    /// prediction on the target's scale; an ensemble the members' combination and, when asked, their disagreement.
    /// </summary>
    public static void WriteScores(IOnnxGraph graph, SequentialNetwork network, string features, OnnxScoreOutputs outputs)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(outputs);
        var writer = new Writer(graph, network);
        var raw = writer.WriteLayers(features, writer.LayerCount);
        writer.WriteOutputs(raw, outputs);
    }

    /// <summary>
    /// Writes the activations of hidden block <paramref name="block"/> (−1 is the last) for the rows in
    /// <paramref name="features"/> into <paramref name="output"/>, <c>[N, units]</c> (for an ensemble the members'
    /// activations side by side, <c>[N, k·units]</c>), as <see cref="NetworkScorer.Embed"/> computes them.
    /// </summary>
    public static void WriteEmbedding(IOnnxGraph graph, SequentialNetwork network, string features, int block, string output)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(network);
        var writer = new Writer(graph, network);
        var blocks = writer.HiddenBlocks;
        if (blocks.Count == 0)
        {
            throw new InvalidOperationException("The network has no hidden block to take an embedding from.");
        }

        if (block < -1 || block >= blocks.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(block), $"The network has {blocks.Count} hidden blocks: the embedding layer must be in 0..{blocks.Count - 1}, or −1 for the last. Received: block={block}.");
        }

        var hidden = blocks[block == -1 ? blocks.Count - 1 : block];
        var values = writer.WriteLayers(features, hidden.ActivationLayer + 1);
        graph.Node("Identity", [values], output);
    }

    /// <summary>One network's writing: its inference layers, its state and the graph.</summary>
    private sealed class Writer
    {
        private readonly IOnnxGraph _g;
        private readonly SequentialNetwork _network;
        private readonly NetworkSpec _spec;
        private readonly Layer[] _layers;
        private readonly bool _standardizationFolded;
        private readonly IReadOnlyDictionary<string, float[]> _state;

        public Writer(IOnnxGraph graph, SequentialNetwork network)
        {
            _g = graph;
            _network = network;
            _spec = network.Spec;
            _layers = InferenceFolding.Fold(network.Layers, network.InputMean, network.InputScale, out _standardizationFolded, out var foldedIndex);
            HiddenBlocks = network.HiddenBlocks
                .Select(b => b with { DenseLayer = foldedIndex[b.DenseLayer], ActivationLayer = foldedIndex[b.ActivationLayer] })
                .ToArray();
            _state = network.GetStateDictionary();
        }

        public int LayerCount => _layers.Length;

        public IReadOnlyList<HiddenBlock> HiddenBlocks { get; }

        private int Members => _spec.EnsembleSize;

        /// <summary>Writes the first <paramref name="count"/> inference layers on the raw rows; returns their output.</summary>
        public string WriteLayers(string features, int count)
        {
            var x = features;
            if (!_standardizationFolded)
            {
                x = Op("Sub", x, _g.Floats("input_mean", _network.InputMean, _spec.InputSize));
                x = Op("Mul", x, _g.Floats("input_scale", _network.InputScale, _spec.InputSize));
            }

            for (var l = 0; l < count; l++)
            {
                x = WriteLayer(l, _layers[l], x);
            }

            return x;
        }

        private string WriteLayer(int index, Layer layer, string x)
        {
            switch (layer)
            {
                case Dense dense:
                    // A folded dense layer always has a bias; a copied one may not.
                    var bias = dense.Bias.IsEmpty ? new float[dense.OutputSize] : dense.Bias.ToArray();
                    return _g.Node("Gemm", [x, _g.Floats("weight", dense.Weight, dense.OutputSize, dense.InputSize), _g.Floats("bias", bias, dense.OutputSize)], null, new OnnxAttribute("transB", 1L));
                case Dropout or AlphaDropout:
                    return x;
                case SmoothClip:
                    // z / √(1 + z·z·(1/9)), in the engine's order.
                    var square = Op("Mul", x, x);
                    var t = Op("Add", Op("Mul", square, Scalar(1f / 9f)), Scalar(1f));
                    return Op("Div", x, Op("Sqrt", t));
                case QuantileTransform:
                    return WriteQuantile(x);
                case NumericEmbeddingLayer embedding:
                    return WriteNumericEmbedding(embedding, x);
                case EnsembleExpand expand:
                    var rows = Reshape(x, -1, 1, expand.InputSize);
                    var expanded = _g.Node("Expand", [rows, _g.Int64s("shape", [1, expand.Members, expand.InputSize], 3)]);
                    return Reshape(expanded, -1, expand.OutputSize);
                case BatchEnsembleDense ensembleDense:
                    return WriteBatchEnsembleDense(ensembleDense, Block(index), x);
                case EnsembleHead head:
                    return WriteEnsembleHead(head, Block(index), x);
                case BatchNorm batchNorm:
                    var scale = new double[batchNorm.Units];
                    var shift = new double[batchNorm.Units];
                    batchNorm.InferenceAffine(scale, shift);
                    var scaled = Op("Mul", x, _g.Floats("bn_scale", ToFloats(scale), batchNorm.Units));
                    return Op("Add", scaled, _g.Floats("bn_shift", ToFloats(shift), batchNorm.Units));
                case LayerNorm layerNorm:
                    return WriteLayerNorm(layerNorm, 1, Block(index), x);
                case MemberRows { Inner: LayerNorm inner }:
                    return WriteLayerNorm(inner, Members, Block(index), x);
                case PReLU prelu:
                    return _g.Node("PRelu", [x, _g.Floats("prelu_alpha", prelu.Alpha, prelu.Alpha.Length)]);
                case ActivationLayer activation:
                    return WriteActivation(activation.Function, x);
                default:
                    throw new NotSupportedException($"The network's layer {index} ({layer.GetType().Name}) has no ONNX form.");
            }
        }

        /// <summary>The hidden block of inference layer <paramref name="index"/>; the output layer's block is the hidden block count.</summary>
        private int Block(int index)
        {
            foreach (var block in HiddenBlocks)
            {
                if (index >= block.DenseLayer && index <= block.ActivationLayer)
                {
                    return block.Index;
                }
            }

            return _spec.HiddenLayers.Count;
        }

        private float[] State(string name) => _state.TryGetValue(name, out var values)
            ? values
            : throw new InvalidOperationException($"The network has no tensor '{name}'.");

        private string WriteActivation(ActivationFunction function, string x) => function switch
        {
            Linear => x,
            ReLU => Op("Relu", x),
            Sigmoid => Op("Sigmoid", x),
            Tanh => Op("Tanh", x),
            Softsign => Op("Softsign", x),
            Softplus => Op("Softplus", x),
            LeakyReLU leaky => _g.Node("LeakyRelu", [x], null, new OnnxAttribute("alpha", leaky.Slope)),
            ThresholdedReLU thresholded => _g.Node("ThresholdedRelu", [x], null, new OnnxAttribute("alpha", thresholded.Theta)),
            ELU elu => _g.Node("Elu", [x], null, new OnnxAttribute("alpha", elu.Alpha)),
            SELU => _g.Node("Selu", [x], null, new OnnxAttribute("alpha", SELU.Alpha), new OnnxAttribute("gamma", SELU.Lambda)),
            HardSigmoid hard => _g.Node("HardSigmoid", [x], null, new OnnxAttribute("alpha", hard.Slope), new OnnxAttribute("beta", 0.5f)),
            SiLU => Op("Mul", x, Op("Sigmoid", x)),
            GELU { ApproximateTanh: true } => Op("Mul", x, Op("Sigmoid", Op("Mul", x, Op("Add", Op("Mul", Op("Mul", x, x), Scalar(0.07135481627260025f)), Scalar(1.5957691216057308f))))),
            GELU => Op("Mul", Op("Mul", x, Scalar(0.5f)), Op("Add", Op("Erf", Op("Mul", x, Scalar(0.70710678118654752f))), Scalar(1f))),
            Mish => WriteMish(x),
            _ => throw new NotSupportedException($"The activation {function.Kind} has no ONNX form."),
        };

        private string WriteMish(string x)
        {
            var e = Op("Exp", Op("Min", x, Scalar(20f)));
            var n = Op("Mul", e, Op("Add", e, Scalar(2f)));
            return Op("Mul", x, Op("Div", n, Op("Add", n, Scalar(2f))));
        }

        /// <summary>Layer normalization over each row's (each member's) <c>units</c> values: <c>(x − μ)/√(σ² + ε)·γ + β</c>.</summary>
        private string WriteLayerNorm(LayerNorm layerNorm, int members, int block, string x)
        {
            var units = layerNorm.Units;
            var rows = members > 1 ? Reshape(x, -1, members, units) : x;
            var mean = Reduce("ReduceMean", rows, -1, keepDims: true);
            var centred = Op("Sub", rows, mean);
            var variance = Reduce("ReduceMean", Op("Mul", centred, centred), -1, keepDims: true);
            var inverse = Op("Reciprocal", Op("Sqrt", Op("Add", variance, Scalar(layerNorm.Epsilon))));
            var normalized = Op("Mul", centred, inverse);
            var result = Op("Add", Op("Mul", normalized, _g.Floats("ln_gamma", State($"layers.{block}.gamma"), units)), _g.Floats("ln_beta", State($"layers.{block}.beta"), units));
            return members > 1 ? Reshape(result, -1, members * units) : result;
        }

        /// <summary><c>y_i = ((x_i ⊙ r_i)·Wᵀ) ⊙ s_i + b_i</c>, all members' rows through one product.</summary>
        private string WriteBatchEnsembleDense(BatchEnsembleDense layer, int block, string x)
        {
            int k = layer.Members, inputs = layer.MemberInputSize, outputs = layer.MemberOutputSize;
            var members = Reshape(x, -1, k, inputs);
            var scaled = Op("Mul", members, _g.Floats("be_r", State($"layers.{block}.r"), k, inputs));
            var product = _g.Node("Gemm", [Reshape(scaled, -1, inputs), _g.Floats("be_weight", State($"layers.{block}.weight"), outputs, inputs), _g.Floats("be_zero", new float[outputs], outputs)], null, new OnnxAttribute("transB", 1L));
            var y = Op("Mul", Reshape(product, -1, k, outputs), _g.Floats("be_s", State($"layers.{block}.s"), k, outputs));
            if (layer.UseBias)
            {
                y = Op("Add", y, _g.Floats("be_bias", State($"layers.{block}.bias"), k, outputs));
            }

            return Reshape(y, -1, k * outputs);
        }

        /// <summary><c>y_i = x_i·W_iᵀ + b_i</c>: the members as a batch of products <c>[k, N, in]·[k, in, out]</c>.</summary>
        private string WriteEnsembleHead(EnsembleHead head, int block, string x)
        {
            int k = head.Members, inputs = head.MemberInputSize, outputs = head.MemberOutputSize;
            var weight = State($"layers.{block}.weight");
            var transposed = new float[weight.Length];
            for (var m = 0; m < k; m++)
            {
                for (var o = 0; o < outputs; o++)
                {
                    for (var i = 0; i < inputs; i++)
                    {
                        transposed[(((m * inputs) + i) * outputs) + o] = weight[(((m * outputs) + o) * inputs) + i];
                    }
                }
            }

            var byMember = Transpose(Reshape(x, -1, k, inputs), 1, 0, 2);
            var product = Transpose(Op("MatMul", byMember, _g.Floats("head_weight", transposed, k, inputs, outputs)), 1, 0, 2);
            var y = Op("Add", product, _g.Floats("head_bias", State($"layers.{block}.bias"), k, outputs));
            return Reshape(y, -1, k * outputs);
        }

        /// <summary>
        /// Each feature's encoding <c>[N, F, E]</c> (periodic: cos and sin of <c>2πc·x</c>; piecewise linear: the clipped
        /// ramps of its bins), then its linear map (the feature's own, or one shared) and a ReLU, flattened to <c>[N, F·d]</c>.
        /// </summary>
        private string WriteNumericEmbedding(NumericEmbeddingLayer layer, string x)
        {
            int features = layer.Features, d = layer.Dimension, e = layer.EncodingSize;
            var column = Reshape(x, -1, features, 1);
            string encoding;
            if (layer.Kind == NumericEmbedding.PiecewiseLinear)
            {
                encoding = WritePiecewiseLinearEncoding(layer, column);
            }
            else
            {
                // 2π·c in float, as the engine forms it before multiplying by x.
                var frequencies = State("embedding.frequencies");
                var angular = frequencies.Select(c => 2 * MathF.PI * c).ToArray();
                var v = Op("Mul", column, _g.Floats("emb_frequencies", angular, features, layer.Frequencies));
                encoding = _g.Node("Concat", [Op("Cos", v), Op("Sin", v)], null, new OnnxAttribute("axis", 2L));
            }

            var weight = State("embedding.weight");
            string hidden;
            if (layer.Kind == NumericEmbedding.PeriodicLite)
            {
                hidden = Op("MatMul", encoding, _g.Floats("emb_weight", TransposeLast(weight, 1, d, e), e, d));
                hidden = Op("Add", hidden, _g.Floats("emb_bias", State("embedding.bias"), d));
            }
            else
            {
                var byFeature = Transpose(encoding, 1, 0, 2);
                hidden = Transpose(Op("MatMul", byFeature, _g.Floats("emb_weight", TransposeLast(weight, features, d, e), features, e, d)), 1, 0, 2);
                hidden = Op("Add", hidden, _g.Floats("emb_bias", State("embedding.bias"), features, d));
            }

            return Reshape(Op("Relu", hidden), -1, features * d);
        }

        /// <summary>
        /// <c>u_t = (x − e_t)/(e_{t+1} − e_t)</c> clamped to [0, 1], the first bin only from above and the last used bin only
        /// from below (a single used bin not at all); unused and empty bins are 0.
        /// </summary>
        private string WritePiecewiseLinearEncoding(NumericEmbeddingLayer layer, string column)
        {
            int features = layer.Features, bins = layer.Bins;
            var edges = State("embedding.edges");
            var used = State("embedding.bins");
            var lower = new float[features * bins];
            var width = new float[features * bins];
            var low = new float[features * bins];
            var high = new float[features * bins];
            var active = new bool[features * bins];
            for (var f = 0; f < features; f++)
            {
                var count = (int)used[f];
                for (var t = 0; t < bins; t++)
                {
                    var i = (f * bins) + t;
                    var w = edges[(f * (bins + 1)) + t + 1] - edges[(f * (bins + 1)) + t];
                    active[i] = t < count && w > 0;
                    lower[i] = edges[(f * (bins + 1)) + t];
                    width[i] = active[i] ? w : 1f;
                    low[i] = count == 1 || t == 0 ? float.NegativeInfinity : 0f;
                    high[i] = count == 1 || t == count - 1 ? float.PositiveInfinity : 1f;
                }
            }

            var u = Op("Div", Op("Sub", column, _g.Floats("ple_lower", lower, features, bins)), _g.Floats("ple_width", width, features, bins));
            var clamped = Op("Min", Op("Max", u, _g.Floats("ple_low", low, features, bins)), _g.Floats("ple_high", high, features, bins));
            return _g.Node("Where", [_g.Bools("ple_active", active, features, bins), clamped, Scalar(0f)]);
        }

        /// <summary>
        /// The quantile transform in float64: each feature's probability as the sum of its clipped ramps between neighbouring
        /// quantiles (a run of equal quantiles counts ½ per step at its value, so a value on the run gets its middle), 0 at or
        /// below the first quantile and 1 at or above the last, clipped to [10⁻⁷, 1 − 10⁻⁷], then AS 241's normal quantile.
        /// </summary>
        private string WriteQuantile(string x)
        {
            const int count = QuantileTransform.QuantileCount;
            var features = _spec.InputSize;
            var quantiles = State("input.quantiles");
            var steps = count - 1;
            var lower = new double[features * steps];
            var width = new double[features * steps];
            var flat = new bool[features * steps];
            var first = new double[features];
            var last = new double[features];
            for (var f = 0; f < features; f++)
            {
                var q = quantiles.AsSpan(f * count, count);
                first[f] = q[0];
                last[f] = q[steps];
                for (var j = 0; j < steps; j++)
                {
                    var i = (f * steps) + j;
                    var w = (double)q[j + 1] - q[j];
                    lower[i] = q[j];
                    flat[i] = !(w > 0);
                    width[i] = w > 0 ? w : 1;
                }
            }

            var xd = Cast(x, OnnxElementType.Double);
            var column = Reshape(xd, -1, features, 1);
            var offset = Op("Sub", column, _g.Doubles("q_lower", lower, features, steps));
            var ramp = Op("Min", Op("Max", Op("Div", offset, _g.Doubles("q_width", width, features, steps)), ScalarDouble(0)), ScalarDouble(1));
            var step = Op("Mul", Op("Add", Op("Sign", offset), ScalarDouble(1)), ScalarDouble(0.5));
            var terms = _g.Node("Where", [_g.Bools("q_flat", flat, features, steps), step, ramp]);
            var sum = Reduce("ReduceSum", terms, 2, keepDims: false);
            var probability = Op("Div", sum, ScalarDouble(steps));
            // A missing value (NaN) stays NaN, as the sum leaves it.
            var present = Op("Not", Op("IsNaN", xd));
            var atOrBelowFirst = Op("And", Op("Not", Op("Less", _g.Doubles("q_first", first, features), xd)), present);
            var atOrAboveLast = Op("And", Op("Not", Op("Less", xd, _g.Doubles("q_last", last, features))), present);
            probability = _g.Node("Where", [atOrBelowFirst, ScalarDouble(0), probability]);
            probability = _g.Node("Where", [atOrAboveLast, ScalarDouble(1), probability]);
            probability = Op("Min", Op("Max", probability, ScalarDouble(QuantileTransform.ProbabilityBound)), ScalarDouble(1 - QuantileTransform.ProbabilityBound));
            return Cast(WriteNormalQuantile(probability), OnnxElementType.Float);
        }

        /// <summary>AS 241 (PPND16) on float64 values: the central rational function where <c>|p − ½| ≤ 0.425</c>, else the tails'.</summary>
        private string WriteNormalQuantile(string p)
        {
            var q = Op("Sub", p, ScalarDouble(0.5));
            var r = Op("Sub", ScalarDouble(0.180625), Op("Mul", q, q));
            var central = Op("Mul", q, Op("Div", Polynomial(QuantileTransform.CentralNumerator, r), Polynomial(QuantileTransform.CentralDenominator, r)));
            var negative = Op("Less", q, ScalarDouble(0));
            var tail = _g.Node("Where", [negative, p, Op("Sub", ScalarDouble(1), p)]);
            var s = Op("Sqrt", Op("Neg", Op("Log", tail)));
            var near = Op("Sub", s, ScalarDouble(1.6));
            var far = Op("Sub", s, ScalarDouble(5));
            var nearValue = Op("Div", Polynomial(QuantileTransform.NearNumerator, near), Polynomial(QuantileTransform.NearDenominator, near));
            var farValue = Op("Div", Polynomial(QuantileTransform.FarNumerator, far), Polynomial(QuantileTransform.FarDenominator, far));
            var tailValue = _g.Node("Where", [Op("Not", Op("Greater", s, ScalarDouble(5))), nearValue, farValue]);
            var signed = _g.Node("Where", [negative, Op("Neg", tailValue), tailValue]);
            var isCentral = Op("Not", Op("Greater", Op("Abs", q), ScalarDouble(0.425)));
            return _g.Node("Where", [isCentral, central, signed]);
        }

        /// <summary>Σ coefficients[i]·xⁱ by Horner's rule, in float64.</summary>
        private string Polynomial(IReadOnlyList<double> coefficients, string x)
        {
            var sum = ScalarDouble(coefficients[^1]);
            for (var i = coefficients.Count - 2; i >= 0; i--)
            {
                sum = Op("Add", Op("Mul", sum, x), ScalarDouble(coefficients[i]));
            }

            return sum;
        }

        /// <summary>Writes the task's outputs from the output layer's values <paramref name="raw"/>.</summary>
        public void WriteOutputs(string raw, OnnxScoreOutputs outputs)
        {
            var k = Members;
            var size = _spec.OutputSize;
            if (k == 1 && outputs.Uncertainty is not null)
            {
                throw new InvalidOperationException("A single network has no members to disagree: its ONNX graph has no uncertainty.");
            }

            switch (_spec.Task)
            {
                case TaskKind.Multiclass:
                    string probabilities;
                    if (k == 1)
                    {
                        probabilities = _g.Node("Softmax", [raw], outputs.Score, new OnnxAttribute("axis", 1L));
                    }
                    else
                    {
                        var memberProbabilities = _g.Node("Softmax", [Reshape(raw, -1, k, size)], null, new OnnxAttribute("axis", 2L));
                        probabilities = Reduce("ReduceMean", memberProbabilities, 1, keepDims: false, outputs.Score);
                        if (outputs.Uncertainty is not null)
                        {
                            // The entropy of the mean distribution, p·ln p taken as 0 where p is 0.
                            var terms = _g.Node("Where", [Op("Greater", probabilities, Scalar(0f)), Op("Mul", probabilities, Op("Log", probabilities)), Scalar(0f)]);
                            var sum = Reduce("ReduceSum", terms, 1, keepDims: true);
                            _g.Node("Neg", [sum], outputs.Uncertainty);
                        }
                    }

                    if (outputs.PredictedLabel is not null)
                    {
                        var index = _g.Node("ArgMax", [probabilities], null, new OnnxAttribute("axis", 1L), new OnnxAttribute("keepdims", 1L));
                        var key = Op("Add", index, _g.Int64s("one", [1L]));
                        _g.Node("Cast", [key], outputs.PredictedLabel, new OnnxAttribute("to", OnnxElementType.UInt32));
                    }

                    break;
                case TaskKind.Binary:
                    string score;
                    if (k == 1)
                    {
                        score = _g.Node("Identity", [raw], outputs.Score);
                    }
                    else
                    {
                        score = WriteBinaryMembers(raw, k, outputs.Score, outputs.Uncertainty);
                    }

                    if (outputs.Probability is not null)
                    {
                        _g.Node("Sigmoid", [score], outputs.Probability);
                    }

                    break;
                default:
                    var values = Op("Add", Op("Mul", raw, Scalar(_network.TargetStd)), Scalar(_network.TargetMean));
                    if (k == 1)
                    {
                        _g.Node("Identity", [values], outputs.Score);
                        break;
                    }

                    var mean = Reduce("ReduceMean", values, 1, keepDims: true, outputs.Score);
                    if (outputs.Uncertainty is not null)
                    {
                        WritePopulationStd(values, mean, outputs.Uncertainty, OnnxElementType.Float);
                    }

                    break;
            }
        }

        /// <summary>
        /// The members' binary combination in float64: the logit of their mean probability (clipped to [10⁻¹⁵, 1 − 10⁻¹⁵]),
        /// or their common logit when every member gives the same; the spread is the standard deviation of their probabilities.
        /// </summary>
        private string WriteBinaryMembers(string raw, int k, string scoreName, string? uncertainty)
        {
            var logits = Cast(raw, OnnxElementType.Double);
            var probabilities = Op("Sigmoid", logits);
            var mean = Reduce("ReduceMean", probabilities, 1, keepDims: true);
            var clipped = Op("Min", Op("Max", mean, ScalarDouble(1e-15)), ScalarDouble(1 - 1e-15));
            var logit = Op("Log", Op("Div", clipped, Op("Sub", ScalarDouble(1), clipped)));
            var lowest = Reduce("ReduceMin", raw, 1, keepDims: true);
            var highest = Reduce("ReduceMax", raw, 1, keepDims: true);
            // lowest ≤ highest, so "not lower" is equality (Equal on floats needs operator set 11).
            var same = Op("Not", Op("Less", lowest, highest));
            var score = _g.Node("Where", [same, lowest, Cast(logit, OnnxElementType.Float)], scoreName);
            if (uncertainty is not null)
            {
                WritePopulationStd(probabilities, mean, uncertainty, OnnxElementType.Double);
            }

            return score;
        }

        /// <summary><c>√(mean((v − mean)²))</c> over the members, cast to float32 into <paramref name="output"/>.</summary>
        private void WritePopulationStd(string values, string mean, string output, OnnxElementType type)
        {
            var deviation = Op("Sub", values, mean);
            var variance = Reduce("ReduceMean", Op("Mul", deviation, deviation), 1, keepDims: true);
            var std = Op("Sqrt", variance);
            if (type == OnnxElementType.Float)
            {
                _g.Node("Identity", [std], output);
            }
            else
            {
                _g.Node("Cast", [std], output, new OnnxAttribute("to", OnnxElementType.Float));
            }
        }

        private string Op(string opType, params string[] inputs) => _g.Node(opType, inputs);

        /// <summary>A reduction over one axis, in the form of operator sets up to 12 (the axes as an attribute): the one place to change for later sets, which take them as an input.</summary>
        private string Reduce(string opType, string x, long axis, bool keepDims, string? output = null)
            => _g.Node(opType, [x], output, new OnnxAttribute("axes", new[] { axis }), new OnnxAttribute("keepdims", keepDims ? 1L : 0L));

        private string Scalar(float value) => _g.Floats("c", [value]);

        private string ScalarDouble(double value) => _g.Doubles("c", [value]);

        private string Cast(string x, OnnxElementType type) => _g.Node("Cast", [x], null, new OnnxAttribute("to", type));

        private string Reshape(string x, params long[] shape) => _g.Node("Reshape", [x, _g.Int64s("shape", shape, shape.Length)]);

        private string Transpose(string x, params long[] permutation) => _g.Node("Transpose", [x], null, new OnnxAttribute("perm", permutation));

        private static float[] ToFloats(double[] values) => values.Select(v => (float)v).ToArray();

        /// <summary><c>[batches, rows, columns]</c> → <c>[batches, columns, rows]</c>.</summary>
        private static float[] TransposeLast(float[] values, int batches, int rows, int columns)
        {
            var result = new float[values.Length];
            for (var b = 0; b < batches; b++)
            {
                for (var r = 0; r < rows; r++)
                {
                    for (var c = 0; c < columns; c++)
                    {
                        result[(((b * columns) + c) * rows) + r] = values[(((b * rows) + r) * columns) + c];
                    }
                }
            }

            return result;
        }
    }
}

/// <summary>
/// The values a network's scores are written to: <see cref="Score"/> always; the others when the model's columns have
/// them (<see cref="PredictedLabel"/> for multiclass, <see cref="Probability"/> for binary, <see cref="Uncertainty"/> for
/// an ensemble).
/// </summary>
/// <param name="Score">Multiclass class probabilities <c>[N, C]</c>, binary logit or regression value <c>[N, 1]</c>.</param>
/// <param name="PredictedLabel">Multiclass: the predicted class as a 1-based uint32 key <c>[N, 1]</c>.</param>
/// <param name="Probability">Binary: the probability of the positive class <c>[N, 1]</c>.</param>
/// <param name="Uncertainty">An ensemble's disagreement <c>[N, 1]</c>, as the model's <c>Uncertainty</c> column defines it.</param>
internal sealed record OnnxScoreOutputs(string Score, string? PredictedLabel = null, string? Probability = null, string? Uncertainty = null);
