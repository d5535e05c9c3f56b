using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MlNetDeep.Internal;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// Trains a feed-forward neural network for multiclass classification: the label must be a key (use <c>mlContext.Transforms.Conversion.MapValueToKey</c>); the transformer adds <c>Score</c>, a vector of class probabilities whose slot names are the class names, and <c>PredictedLabel</c>, a key of the label's type (so <c>MapKeyToValue</c> recovers the class).
/// Reach it with <c>mlContext.MulticlassClassification.Trainers.FeedForward(...)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Training reads the data once into memory, standardizes the features with the training rows' statistics (stored in
/// the model), holds out <see cref="FeedForwardTrainerOptionsBase.ValidationFraction"/> of the rows for early stopping,
/// and reports every epoch (loss, validation metric, learning rate, time) to <see cref="FeedForwardTrainerOptionsBase.Progress"/>
/// and, for people, through <c>mlContext.Log</c>; <see cref="FeedForwardTrainerOptionsBase.CancellationToken"/> stops it. Rows with a
/// missing label are skipped and counted in the log; a missing or infinite feature value is an error (replace missing
/// values first, e.g. with <c>mlContext.Transforms.ReplaceMissingValues</c>).
/// </para>
/// <para>
/// The fitted model saves and loads with <c>mlContext.Model.Save</c> and <c>Load</c>. It cannot be exported with
/// <c>mlContext.Model.ConvertToOnnx</c>, which throws <see cref="NotSupportedException"/> for it.
/// </para>
/// </remarks>
public sealed class FeedForwardMulticlassTrainer : ITrainerEstimator<MulticlassPredictionTransformer<FeedForwardModelParameters>, FeedForwardModelParameters>
{
    private readonly FeedForwardTrainer<MulticlassPredictionTransformer<FeedForwardModelParameters>> _trainer;

    internal FeedForwardMulticlassTrainer(IHostEnvironment environment, Options options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        _trainer = new FeedForwardTrainer<MulticlassPredictionTransformer<FeedForwardModelParameters>>(environment, nameof(FeedForwardMulticlassTrainer), TaskKind.Multiclass, options);
    }

    /// <summary>What ML.NET needs to know about the trainer: it needs no normalization and no caching upstream.</summary>
    public TrainerInfo Info => _trainer.Info;

    /// <summary>Trains a network on <paramref name="input"/> and wraps it in ML.NET's prediction transformer.</summary>
    /// <param name="input">The training data, with the feature, label and (if set) example weight columns.</param>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidOperationException">The data cannot be trained on (no rows, a single class, a missing or
    /// infinite feature value), or the loss became NaN or infinite (the message names the epoch).</exception>
    public MulticlassPredictionTransformer<FeedForwardModelParameters> Fit(IDataView input) => _trainer.Fit(input);

    /// <summary>The columns the fitted transformer adds to data of <paramref name="inputSchema"/>, after checking the input columns.</summary>
    /// <param name="inputSchema">The shape of the training data.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => _trainer.GetOutputSchema(inputSchema);

    /// <summary>The options of <see cref="FeedForwardMulticlassTrainer"/>; every default comes from <see cref="FeedForwardTrainerOptionsBase.Defaults"/>.</summary>
    public sealed class Options : FeedForwardTrainerOptionsBase
    {
        /// <summary>
        /// Label smoothing ε, in [0, 1): the network is trained on the cross-entropy against the target
        /// <c>(1 − ε)·onehot(label) + ε/classes</c> instead of the one-hot label (as PyTorch's
        /// <c>CrossEntropyLoss(label_smoothing=ε)</c>), a regularizer that keeps the logits from growing without bound;
        /// 0.1 is a common value. The predicted probabilities then stay away from 0 and 1: the loss is lowest when the
        /// label gets <c>1 − ε + ε/classes</c>. The validation loss that early stopping and
        /// <see cref="LearningRateSchedule.ReduceOnPlateau"/> watch is the same smoothed loss (as in Keras); the
        /// validation accuracy is unchanged. 0 trains on the labels as they are. Default: <see cref="FeedForwardTrainerOptionsBase.Defaults.LabelSmoothing"/>.
        /// </summary>
        public float LabelSmoothing = Defaults.LabelSmoothing;

        /// <inheritdoc/>
        internal override void Validate()
        {
            base.Validate();
            CheckUnitInterval(LabelSmoothing, nameof(LabelSmoothing));
        }

        /// <inheritdoc/>
        internal override float EngineLabelSmoothing => LabelSmoothing;
    }
}
