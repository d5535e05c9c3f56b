using Microsoft.ML.Data;
using MlNetDeep;
using MlNetDeep.Internal;
using MlNetDeep.Training;
using MlNetDeep.Tuning;

namespace Microsoft.ML;

/// <summary>
/// One-call hyperparameter tuning of the FeedForward trainers:
/// <c>mlContext.MulticlassClassification.TuneFeedForward(trainData, options)</c> and its binary classification and
/// regression siblings.
/// </summary>
public static class FeedForwardTuningCatalog
{
    /// <summary>
    /// Searches for the <see cref="FeedForwardMulticlassTrainer"/> options that score best on held-out rows of
    /// <paramref name="trainData"/> (see <see cref="FeedForwardTuningOptions"/>), then trains them on all of it.
    /// Progress is logged to <c>mlContext.Log</c>; failed trials are recorded and the search goes on.
    /// </summary>
    /// <param name="catalog">The multiclass classification catalog.</param>
    /// <param name="trainData">The training data: a key label and a known-size Single feature vector.</param>
    /// <param name="options">The budget, metric (default <c>MicroAccuracy</c>), validation scheme and search space.</param>
    /// <returns>The best options, the model they give on all the data, its validation metrics and every trial.</returns>
    /// <exception cref="ArgumentException">An option, the search space or a column is invalid.</exception>
    /// <exception cref="InvalidOperationException">Every trial failed; the message gives the first failures.</exception>
    public static FeedForwardTuningResult<FeedForwardMulticlassTrainer.Options, MulticlassPredictionTransformer<FeedForwardModelParameters>, MulticlassClassificationMetrics> TuneFeedForward(
        this MulticlassClassificationCatalog catalog, IDataView trainData, FeedForwardTuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new FeedForwardTuner<FeedForwardMulticlassTrainer.Options, MulticlassPredictionTransformer<FeedForwardModelParameters>, MulticlassClassificationMetrics>(
            MlNetEnvironment.Of(catalog.Trainers),
            TaskKind.Multiclass,
            o => catalog.Trainers.FeedForward(o),
            (scored, label) => catalog.Evaluate(scored, label))
            .Tune(trainData, options);
    }

    /// <summary>
    /// Searches for the <see cref="FeedForwardBinaryTrainer"/> options that score best on held-out rows of
    /// <paramref name="trainData"/> (see <see cref="FeedForwardTuningOptions"/>), then trains them on all of it.
    /// Progress is logged to <c>mlContext.Log</c>; failed trials are recorded and the search goes on.
    /// </summary>
    /// <param name="catalog">The binary classification catalog.</param>
    /// <param name="trainData">The training data: a Boolean label and a known-size Single feature vector.</param>
    /// <param name="options">The budget, metric (default <c>AreaUnderRocCurve</c>), validation scheme and search space.</param>
    /// <returns>
    /// The best options, the model they give on all the data, its validation metrics (a
    /// <see cref="CalibratedBinaryClassificationMetrics"/> when the model outputs probabilities) and every trial.
    /// </returns>
    /// <exception cref="ArgumentException">An option, the search space or a column is invalid.</exception>
    /// <exception cref="InvalidOperationException">Every trial failed; the message gives the first failures.</exception>
    public static FeedForwardTuningResult<FeedForwardBinaryTrainer.Options, BinaryPredictionTransformer<FeedForwardModelParameters>, BinaryClassificationMetrics> TuneFeedForward(
        this BinaryClassificationCatalog catalog, IDataView trainData, FeedForwardTuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new FeedForwardTuner<FeedForwardBinaryTrainer.Options, BinaryPredictionTransformer<FeedForwardModelParameters>, BinaryClassificationMetrics>(
            MlNetEnvironment.Of(catalog.Trainers),
            TaskKind.Binary,
            o => catalog.Trainers.FeedForward(o),
            (scored, label) => scored.Schema.GetColumnOrNull("Probability") is null
                ? catalog.EvaluateNonCalibrated(scored, label)
                : catalog.Evaluate(scored, label))
            .Tune(trainData, options);
    }

    /// <summary>
    /// Searches for the <see cref="FeedForwardRegressionTrainer"/> options that score best on held-out rows of
    /// <paramref name="trainData"/> (see <see cref="FeedForwardTuningOptions"/>), then trains them on all of it.
    /// Progress is logged to <c>mlContext.Log</c>; failed trials are recorded and the search goes on.
    /// </summary>
    /// <param name="catalog">The regression catalog.</param>
    /// <param name="trainData">The training data: a Single label and a known-size Single feature vector.</param>
    /// <param name="options">The budget, metric (default <c>RootMeanSquaredError</c>), validation scheme and search space.</param>
    /// <returns>The best options, the model they give on all the data, its validation metrics and every trial.</returns>
    /// <exception cref="ArgumentException">An option, the search space or a column is invalid.</exception>
    /// <exception cref="InvalidOperationException">Every trial failed; the message gives the first failures.</exception>
    public static FeedForwardTuningResult<FeedForwardRegressionTrainer.Options, RegressionPredictionTransformer<FeedForwardModelParameters>, RegressionMetrics> TuneFeedForward(
        this RegressionCatalog catalog, IDataView trainData, FeedForwardTuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new FeedForwardTuner<FeedForwardRegressionTrainer.Options, RegressionPredictionTransformer<FeedForwardModelParameters>, RegressionMetrics>(
            MlNetEnvironment.Of(catalog.Trainers),
            TaskKind.Regression,
            o => catalog.Trainers.FeedForward(o),
            (scored, label) => catalog.Evaluate(scored, label))
            .Tune(trainData, options);
    }
}
