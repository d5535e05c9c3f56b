using MlNetDeep.ActivationFunctions;
using MlNetDeep.Training;

namespace MlNetDeep.Layers;

/// <summary>
/// Builds the layers of a <see cref="NetworkSpec"/>: the input transform's layer (<see cref="SmoothClip"/> or
/// <see cref="QuantileTransform"/>; standardization alone needs none), optional input dropout, the numeric embedding
/// (<see cref="NumericEmbeddingLayer"/>), for an ensemble of k members <see cref="EnsembleExpand"/> (then every dense layer is a
/// <see cref="BatchEnsembleDense"/>, every other layer k times as wide, and the output layer an <see cref="EnsembleHead"/>),
/// then per hidden block Dense → optional
/// BatchNorm/LayerNorm → activation → optional dropout, then the output dense layer. Each activation's layer and dropout
/// come from its <see cref="ActivationRegistry"/> entry. Every tensor is declared with its state-dict name and owning
/// block, which the builder alone decides.
/// </summary>
/// <remarks>
/// State-dict names follow the block index: block <c>i</c>'s dense layer is <c>layers.i.weight</c> and
/// <c>layers.i.bias</c>, its normalization <c>layers.i.gamma</c>, <c>layers.i.beta</c>, <c>layers.i.running_mean</c>,
/// <c>layers.i.running_var</c>, its PReLU slopes <c>layers.i.alpha</c>; the output layer is block
/// <c>HiddenLayers.Count</c>. The input side's tensors are named without a block: <c>input.quantiles</c>,
/// <c>embedding.frequencies</c>, <c>embedding.weight</c>, <c>embedding.bias</c>, <c>embedding.edges</c>, <c>embedding.bins</c>.
/// An ensemble's dense layers add <c>layers.i.r [k, in]</c> and <c>layers.i.s [k, out]</c>, their biases are <c>[k, out]</c>,
/// and the output layer's weight is <c>[k, out, in]</c>. The layout (the order of the declarations) is the order of the layers, each layer's tensors
/// in its own order, after the network-wide buffers (see <see cref="LayerStack"/>); saved networks depend on it.
/// </remarks>
internal static class NetworkBuilder
{
    /// <summary>Builds fresh, unbound layers for <paramref name="spec"/> (already validated).</summary>
    public static LayerStack Build(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var settings = new ActivationSettings { HardSigmoidSlope = spec.HardSigmoidSlope, GeluApproximateTanh = spec.GeluApproximateTanh };
        var layers = new List<(int Block, Layer Layer)>();
        var hiddenBlocks = new HiddenBlock[spec.HiddenLayers.Count];
        switch (spec.InputTransform)
        {
            case InputTransform.RobustSmoothClip:
                layers.Add((-1, new SmoothClip(spec.InputSize)));
                break;
            case InputTransform.Quantile:
                layers.Add((-1, new QuantileTransform(spec.InputSize)));
                break;
        }

        if (spec.InputDropoutRate > 0)
        {
            layers.Add((-1, new Dropout(spec.InputSize, spec.InputDropoutRate)));
        }

        if (spec.NumericEmbedding != NumericEmbedding.None)
        {
            layers.Add((-1, new NumericEmbeddingLayer(spec.InputSize, spec.NumericEmbedding, spec.EmbeddingDimension, spec.EmbeddingFrequencies, spec.EmbeddingFrequencyScale, spec.EmbeddingBins)));
        }

        var width = spec.EmbeddedSize;
        var k = spec.EnsembleSize;
        if (k > 1)
        {
            layers.Add((-1, new EnsembleExpand(width, k)));
        }

        for (var i = 0; i < spec.HiddenLayers.Count; i++)
        {
            var block = spec.HiddenLayers[i];
            var activation = ActivationRegistry.Get(block.Activation);
            var dense = layers.Count;
            var useBias = block.Normalization != Normalization.BatchNorm;
            layers.Add((i, k > 1 ? new BatchEnsembleDense(width, block.Units, k, useBias, randomSigns: i == 0, sharedInput: i == 0) : new Dense(width, block.Units, useBias)));
            switch (block.Normalization)
            {
                case Normalization.BatchNorm:
                    layers.Add((i, new BatchNorm(block.Units * k)));
                    break;
                case Normalization.LayerNorm:
                    layers.Add((i, k > 1 ? new MemberRows(new LayerNorm(block.Units), k) : new LayerNorm(block.Units)));
                    break;
            }

            hiddenBlocks[i] = new HiddenBlock(i, dense, layers.Count, block.Activation, block.Units * k);
            layers.Add((i, activation.CreateLayer(block.Units * k, settings)));
            if (block.DropoutRate > 0)
            {
                layers.Add((-1, activation.CreateDropout(block.Units * k, block.DropoutRate)));
            }

            width = block.Units;
        }

        if (k > 1)
        {
            var initializer = Initializers.InitializerFactory.Create(spec.WeightInitializer, Activation.Linear, spec.WeightInitializerValue);
            var shape = new[] { spec.OutputSize, width };
            layers.Add((spec.HiddenLayers.Count, new EnsembleHead(width, spec.OutputSize, k, (values, random) => initializer.Initialize(values, shape, random))));
        }
        else
        {
            layers.Add((spec.HiddenLayers.Count, new Dense(width, spec.OutputSize, useBias: true)));
        }

        var parameters = new List<TensorDeclaration>();
        var buffers = new List<TensorDeclaration>
        {
            new("input.mean", new ParameterSpec("input.mean", [spec.InputSize], ParameterRole.RunningMean, 0f), -1, null),
            new("input.scale", new ParameterSpec("input.scale", [spec.InputSize], ParameterRole.RunningVariance, 1f), -1, null),
            new("target.mean", new ParameterSpec("target.mean", [1], ParameterRole.RunningMean, 0f), -1, null),
            new("target.std", new ParameterSpec("target.std", [1], ParameterRole.RunningVariance, 1f), -1, null),
        };
        foreach (var (block, layer) in layers)
        {
            parameters.AddRange(layer.Parameters.Select(p => Declare(p, block, layer)));
            buffers.AddRange(layer.Buffers.Select(b => Declare(b, block, layer)));
        }

        return new LayerStack([.. layers.Select(l => l.Layer)], [.. parameters], [.. buffers], hiddenBlocks);
    }

    private static TensorDeclaration Declare(ParameterSpec spec, int block, Layer layer)
        => new(block < 0 ? spec.Name : $"layers.{block}.{spec.Name}", spec, block, layer);
}
