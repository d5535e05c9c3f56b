using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MlNetDeep.Internal;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// Trains a feed-forward neural network for binary classification: the label must be <c>Boolean</c>; the transformer adds <c>Score</c> (the network's logit), <c>Probability</c> (its sigmoid) and <c>PredictedLabel</c> (probability above 0.5).
/// Reach it with <c>mlContext.BinaryClassification.Trainers.FeedForward(...)</c>.
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
public sealed class FeedForwardBinaryTrainer : ITrainerEstimator<BinaryPredictionTransformer<FeedForwardModelParameters>, FeedForwardModelParameters>
{
    private readonly FeedForwardTrainer<BinaryPredictionTransformer<FeedForwardModelParameters>> _trainer;

    internal FeedForwardBinaryTrainer(IHostEnvironment environment, Options options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        _trainer = new FeedForwardTrainer<BinaryPredictionTransformer<FeedForwardModelParameters>>(environment, nameof(FeedForwardBinaryTrainer), TaskKind.Binary, options);
    }

    /// <summary>What ML.NET needs to know about the trainer: it needs no normalization and no caching upstream.</summary>
    public TrainerInfo Info => _trainer.Info;

    /// <summary>Trains a network on <paramref name="input"/> and wraps it in ML.NET's prediction transformer.</summary>
    /// <param name="input">The training data, with the feature, label and (if set) example weight columns.</param>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidOperationException">The data cannot be trained on (no rows, a single class, a missing or
    /// infinite feature value), or the loss became NaN or infinite (the message names the epoch).</exception>
    public BinaryPredictionTransformer<FeedForwardModelParameters> Fit(IDataView input) => _trainer.Fit(input);

    /// <summary>The columns the fitted transformer adds to data of <paramref name="inputSchema"/>, after checking the input columns.</summary>
    /// <param name="inputSchema">The shape of the training data.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => _trainer.GetOutputSchema(inputSchema);

    /// <summary>The options of <see cref="FeedForwardBinaryTrainer"/>; every default comes from <see cref="FeedForwardTrainerOptionsBase.Defaults"/>.</summary>
    public sealed class Options : FeedForwardTrainerOptionsBase
    {
        /// <summary>
        /// Label smoothing ε, in [0, 1): the network is trained on the binary cross-entropy against the target
        /// <c>y·(1 − ε) + ε/2</c> (<c>1 − ε/2</c> for true, <c>ε/2</c> for false; Keras's
        /// <c>binary_crossentropy(label_smoothing=ε)</c>) instead of 1 and 0, a regularizer that keeps the logit from
        /// growing without bound; 0.1 is a common value. The predicted probabilities then stay within about
        /// [ε/2, 1 − ε/2], where the loss is lowest. The validation loss that early stopping and
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
