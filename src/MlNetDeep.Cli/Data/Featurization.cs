using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MlNetDeep.Training;

namespace MlNetDeep.Cli.Data;

/// <summary>
/// The ML.NET steps before the trainer: the label conversion the task needs, mean imputation of numeric columns,
/// one-hot encoding of categorical columns, and one feature vector. There is no normalizer: the MlNetDeep trainers
/// standardize their inputs themselves (the statistics are stored in the model).
/// </summary>
internal static class Featurization
{
    /// <summary>The name of the feature vector the trainer reads.</summary>
    public const string FeaturesColumn = "Features";

    /// <summary>
    /// The label conversion: multiclass labels become keys (classes in sort order), binary labels booleans (the
    /// second class in sort order is <c>true</c>), regression labels stay numbers.
    /// </summary>
    public static IEstimator<ITransformer> ConvertLabel(MLContext mlContext, DatasetSchema schema) => schema.Task switch
    {
        TaskKind.Multiclass => mlContext.Transforms.Conversion.MapValueToKey(schema.Label, schema.Label, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue),
        TaskKind.Binary => mlContext.Transforms.Conversion.MapValue(
            schema.Label,
            [new KeyValuePair<string, bool>(schema.Classes[0], false), new KeyValuePair<string, bool>(schema.Classes[1], true)],
            schema.Label),
        _ => new EstimatorChain<ITransformer>(),
    };

    /// <summary>Imputes, encodes and concatenates the feature columns into <see cref="FeaturesColumn"/>.</summary>
    public static IEstimator<ITransformer> Featurize(MLContext mlContext, DatasetSchema schema)
    {
        var numeric = schema.Features.Where(f => f.Kind == ColumnKind.Numeric).Select(f => new InputOutputColumnPair(f.Name)).ToArray();
        var categorical = schema.Features.Where(f => f.Kind == ColumnKind.Categorical).Select(f => new InputOutputColumnPair(f.Name)).ToArray();
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        if (numeric.Length > 0)
        {
            chain = chain.Append(mlContext.Transforms.ReplaceMissingValues(numeric, MissingValueReplacingEstimator.ReplacementMode.Mean));
        }

        if (categorical.Length > 0)
        {
            chain = chain.Append(mlContext.Transforms.Categorical.OneHotEncoding(categorical));
        }

        return chain.Append(mlContext.Transforms.Concatenate(FeaturesColumn, [.. schema.Features.Select(f => f.Name)]));
    }
}
