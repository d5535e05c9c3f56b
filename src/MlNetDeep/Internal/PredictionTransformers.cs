using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MlNetDeep.Internal;

/// <summary>
/// Creates ML.NET's own prediction transformers around an MlNetDeep model (their constructors are internal to
/// ML.NET 5.0.1 and 6.0.0). The model must be a <c>ModelParametersBase&lt;float&gt;</c> that implements ML.NET's
/// <c>IValueMapper</c> from a known-size <c>Single</c> feature vector to the score, and that is registered with
/// <c>[assembly: LoadableClass(..., typeof(SignatureLoadModel), ...)]</c> so the transformer can be loaded again.
/// </summary>
internal static class PredictionTransformers
{
    /// <summary>A regression transformer adding a <c>Score</c> column (<c>Single</c>).</summary>
    public static RegressionPredictionTransformer<TModel> Regression<TModel>(IHostEnvironment environment, TModel model, DataViewSchema trainSchema, string featureColumnName)
        where TModel : class
        => new(environment, model, trainSchema, featureColumnName);

    /// <summary>
    /// A binary classification transformer adding <c>Score</c>, <c>Probability</c> (when the model's mapper
    /// produces it) and <c>PredictedLabel</c> (score above <paramref name="threshold"/>).
    /// </summary>
    public static BinaryPredictionTransformer<TModel> Binary<TModel>(IHostEnvironment environment, TModel model, DataViewSchema trainSchema, string featureColumnName, float threshold = 0f)
        where TModel : class
        => new(environment, model, trainSchema, featureColumnName, threshold);

    /// <summary>
    /// A multiclass transformer adding <c>Score</c> (a vector with one value per class) and <c>PredictedLabel</c>
    /// (a key of the label column's type, so <c>MapKeyToValue</c> recovers the class names).
    /// </summary>
    public static MulticlassPredictionTransformer<TModel> Multiclass<TModel>(IHostEnvironment environment, TModel model, DataViewSchema trainSchema, string featureColumnName, string labelColumnName)
        where TModel : class
        => new(environment, model, trainSchema, featureColumnName, labelColumnName);
}
