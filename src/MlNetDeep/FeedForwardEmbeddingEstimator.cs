using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetDeep.Internal;

namespace MlNetDeep;

/// <summary>
/// The estimator of <see cref="FeedForwardEmbeddingTransformer"/>, made by
/// <c>mlContext.Transforms.FeedForwardEmbedding(...)</c>. It learns nothing: <see cref="Fit"/> checks the input
/// column and returns the transformer over the already trained network.
/// </summary>
public sealed class FeedForwardEmbeddingEstimator : IEstimator<FeedForwardEmbeddingTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly FeedForwardModelParameters _model;
    private readonly string _outputColumnName;
    private readonly string _inputColumnName;
    private readonly int _layer;

    internal FeedForwardEmbeddingEstimator(IHostEnvironment environment, FeedForwardModelParameters model, string outputColumnName, string inputColumnName, int layer)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(model);
        if (string.IsNullOrWhiteSpace(outputColumnName))
        {
            throw new ArgumentException($"The output column name must be a column name. Received: outputColumnName='{outputColumnName}'.", nameof(outputColumnName));
        }

        if (string.IsNullOrWhiteSpace(inputColumnName))
        {
            throw new ArgumentException($"The input column name must be a column name. Received: inputColumnName='{inputColumnName}'.", nameof(inputColumnName));
        }

        _environment = environment;
        _model = model;
        _outputColumnName = outputColumnName;
        _inputColumnName = inputColumnName;
        _layer = FeedForwardEmbeddingTransformer.ResolveLayer(model, layer);
    }

    /// <summary>Checks that <paramref name="input"/> has the feature column and returns the transformer.</summary>
    /// <param name="input">Data with the input column, a vector of <c>Single</c> of the model's input size.</param>
    public FeedForwardEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var transformer = new FeedForwardEmbeddingTransformer(_environment, _model, _outputColumnName, _inputColumnName, _layer);
        transformer.GetOutputSchema(input.Schema);
        return transformer;
    }

    /// <summary>The input schema with the embedding column added (a known-size vector of <c>Single</c>).</summary>
    /// <param name="inputSchema">The shape of the input, which must have the input column as a vector of <c>Single</c>.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
        => SchemaShapes.WithFloatVector(inputSchema, _inputColumnName, _outputColumnName, "the feed-forward embedding");
}
