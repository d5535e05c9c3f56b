using MlNetDeep;
using MlNetDeep.Internal;

namespace Microsoft.ML;

/// <summary>Adds <c>mlContext.Transforms.FeedForwardEmbedding(...)</c>, which featurizes data with a trained feed-forward network.</summary>
public static class FeedForwardEmbeddingCatalog
{
    /// <summary>
    /// Creates a <see cref="FeedForwardEmbeddingEstimator"/>, whose transformer adds the activations of one hidden
    /// layer of <paramref name="model"/> as a known-size vector of <c>Single</c>, for example to train another model
    /// (such as LightGbm) on what the network learned. For an ensemble the vector holds every member's activations of
    /// that layer, member by member (<see cref="FeedForwardEmbeddingTransformer.EmbeddingSize"/>).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="model">A trained network (<c>Model</c> of a feed-forward prediction transformer).</param>
    /// <param name="outputColumnName">The column to add.</param>
    /// <param name="inputColumnName">The feature column: a vector of <c>Single</c> of the model's input size, as the network was trained on.</param>
    /// <param name="layer">The hidden layer, from 0; −1 (the default) is the last hidden layer.</param>
    /// <exception cref="ArgumentException">A column name is empty, or the model has no hidden layer.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> names no hidden layer.</exception>
    public static FeedForwardEmbeddingEstimator FeedForwardEmbedding(
        this TransformsCatalog catalog,
        FeedForwardModelParameters model,
        string outputColumnName = "Embedding",
        string inputColumnName = "Features",
        int layer = -1)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new FeedForwardEmbeddingEstimator(MlNetEnvironment.Of(catalog), model, outputColumnName, inputColumnName, layer);
    }
}
