using MlNetDeep.Layers;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// A trained feed-forward network, as produced by <see cref="FeedForwardMulticlassTrainer"/>,
/// <see cref="FeedForwardBinaryTrainer"/> and <see cref="FeedForwardRegressionTrainer"/> and held by ML.NET's
/// prediction transformers (<c>Model</c>). It saves and loads with <c>mlContext.Model.Save</c> and <c>Load</c>, weights,
/// batch-normalization running statistics and all. The same type serves the three tasks: the multiclass model scores a
/// vector of class probabilities, the binary model a logit (its probability is the logit's sigmoid), the regression
/// model a value on the label's own scale.
/// </summary>
/// <remarks>
/// <c>mlContext.Model.ConvertToOnnx</c> cannot export this model: it throws <see cref="NotSupportedException"/> rather
/// than silently leaving the network out of the exported graph.
/// </remarks>
public sealed partial class FeedForwardModelParameters
{
    private readonly SequentialNetwork _network;
    private readonly string[]? _classNames;
    private readonly TrainingEpoch[] _history;
    private readonly FeedForwardLayerOptions[] _hiddenLayers;

    /// <summary>The number of features the model reads from the feature column.</summary>
    public int InputSize => _network.Spec.InputSize;

    /// <summary>
    /// The number of classes: the label key's count for multiclass classification, 2 for binary classification and 0
    /// for regression.
    /// </summary>
    public int ClassCount => _network.Spec.Task switch
    {
        TaskKind.Multiclass => _network.Spec.ClassCount,
        TaskKind.Binary => 2,
        _ => 0,
    };

    /// <summary>
    /// The class names of a multiclass model (the label key's values, in score-slot order) when the label column
    /// had them; empty otherwise.
    /// </summary>
    public IReadOnlyList<string> ClassNames => _classNames ?? [];

    /// <summary>The hidden layers from input to output, each with its units, activation, normalization and dropout rate.</summary>
    public IReadOnlyList<FeedForwardLayerOptions> HiddenLayers => [.. _hiddenLayers.Select(l => new FeedForwardLayerOptions(l.Units) { Activation = l.Activation, Normalization = l.Normalization, DropoutRate = l.DropoutRate })];

    /// <summary>The epoch whose weights the model holds (the best validation loss when early stopping ran, else the last).</summary>
    public int BestEpoch { get; }

    /// <summary>The members of the model's parameter-efficient ensemble (1 for a single network).</summary>
    public int EnsembleSize => _network.Spec.EnsembleSize;

    /// <summary>How the model maps each feature before its first layer (fitted on the training rows; see <see cref="MlNetDeep.InputTransform"/>).</summary>
    public InputTransform InputTransform => _network.Spec.InputTransform;

    /// <summary>How the model embeds each feature before its first hidden layer (see <see cref="MlNetDeep.NumericEmbedding"/>).</summary>
    public NumericEmbedding NumericEmbedding => _network.Spec.NumericEmbedding;

    /// <summary>One record per epoch run: training and validation loss, validation metric, learning rate and time.</summary>
    public IReadOnlyList<TrainingEpoch> TrainingHistory => _history;

    /// <summary>
    /// The per-layer training diagnostics, when the model was trained with
    /// <see cref="FeedForwardTrainerOptionsBase.Diagnostics"/> on (they are saved and loaded with the model); null
    /// otherwise.
    /// </summary>
    public FeedForwardDiagnostics? Diagnostics { get; }

    /// <summary>
    /// The Monte Carlo dropout passes the model scores with (<see cref="FeedForwardTrainerOptionsBase.MonteCarloDropoutPasses"/>):
    /// above 0, every row's prediction is the average of this many passes with dropout active and the prediction
    /// transformer adds an <c>Uncertainty</c> column; 0 scores once, without dropout.
    /// </summary>
    public int MonteCarloDropoutPasses { get; }

    /// <summary>
    /// The network's tensors by name, in state-dictionary style: <c>layers.{i}.weight</c> ([out × in], row-major),
    /// <c>layers.{i}.bias</c>, and for normalization <c>layers.{i}.gamma</c>, <c>layers.{i}.beta</c> (and for batch
    /// normalization the buffers <c>layers.{i}.running_mean</c>, <c>layers.{i}.running_var</c>), <c>layers.{i}.alpha</c>
    /// for PReLU slopes, the output layer last; plus the feature standardization <c>input.mean</c>, <c>input.scale</c>
    /// and, for regression, the label's <c>target.mean</c> and <c>target.std</c>. The arrays are copies.
    /// </summary>
    public IReadOnlyDictionary<string, float[]> GetParameters() => _network.GetStateDictionary();

    /// <inheritdoc/>
    public override string ToString()
    {
        var layers = string.Join(" → ", _hiddenLayers.Select(l => FormattableString.Invariant($"{l.Units} {l.Activation}{(l.Normalization is Normalization.None ? "" : $" {l.Normalization}")}{(l.DropoutRate > 0 ? $" dropout {l.DropoutRate}" : "")}")));
        var output = _network.Spec.Task switch
        {
            TaskKind.Multiclass => $"{ClassCount} classes (softmax)",
            TaskKind.Binary => "1 logit (sigmoid)",
            _ => "1 value",
        };
        var spec = _network.Spec;
        var input = spec.InputTransform == InputTransform.Standardize ? "" : $" ({spec.InputTransform})";
        var embedding = spec.NumericEmbedding == NumericEmbedding.None ? "" : $" → {spec.NumericEmbedding} embedding {spec.EmbeddingDimension} per feature";
        var ensemble = spec.EnsembleSize == 1 ? "" : $", ensemble of {spec.EnsembleSize}";
        return $"FeedForward: {InputSize} features{input}{embedding} → {(layers.Length == 0 ? "" : layers + " → ")}{output}{ensemble}";
    }

    private static FeedForwardLayerOptions[] DescribeLayers(NetworkSpec spec)
        => [.. spec.HiddenLayers.Select(l => new FeedForwardLayerOptions(l.Units) { Activation = l.Activation, Normalization = l.Normalization, DropoutRate = l.DropoutRate })];
}
