namespace MlNetDeep;

/// <summary>
/// Adds a column with the activations of one hidden layer of a trained feed-forward network (at inference: batch
/// normalization uses its running statistics and dropout is off), a known-size vector of <c>Single</c>, so the
/// network can featurize data for another trainer. Made by
/// <c>mlContext.Transforms.FeedForwardEmbedding(...)</c> (<see cref="FeedForwardEmbeddingEstimator"/>); it saves
/// and loads with <c>mlContext.Model.Save</c> and <c>Load</c>, the network included. Every cursor and prediction
/// engine gets its own scorer, so concurrent use is safe.
/// </summary>
public sealed partial class FeedForwardEmbeddingTransformer
{
    /// <summary>The network whose hidden layer is emitted.</summary>
    public FeedForwardModelParameters Model { get; }

    /// <summary>The feature column read: a vector of <c>Single</c> of <see cref="FeedForwardModelParameters.InputSize"/> values.</summary>
    public string InputColumnName { get; }

    /// <summary>The column added.</summary>
    public string OutputColumnName { get; }

    /// <summary>The hidden layer emitted, from 0 (a requested −1 is resolved to the last hidden layer).</summary>
    public int Layer { get; }

    /// <summary>
    /// The size of the added vector: the units of hidden layer <see cref="Layer"/>; for an ensemble
    /// (<see cref="FeedForwardModelParameters.EnsembleSize"/> k &gt; 1) the k members' activations of that layer side by side,
    /// member 0 first, k times the units.
    /// </summary>
    public int EmbeddingSize => Model.HiddenLayers[Layer].Units * Model.EnsembleSize;

    /// <summary>Checks <paramref name="layer"/> against <paramref name="model"/>'s hidden layers and resolves −1 to the last.</summary>
    internal static int ResolveLayer(FeedForwardModelParameters model, int layer)
    {
        ArgumentNullException.ThrowIfNull(model);
        var count = model.HiddenLayers.Count;
        if (count == 0)
        {
            throw new ArgumentException($"The model has no hidden layer to take an embedding from ({model}).", nameof(layer));
        }

        if (layer < -1 || layer >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The layer must be -1 (the last hidden layer) or a hidden layer from 0 to {count - 1}; the model has {count} hidden layers. Received: layer={layer}.");
        }

        return layer == -1 ? count - 1 : layer;
    }
}
