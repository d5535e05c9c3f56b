using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MlNetDeep.Internal;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// Trains a feed-forward neural network for regression: the label is a <c>Single</c> (or <c>Double</c>, <c>Int32</c>) on any scale; the network is trained on the standardized label and the transformer's <c>Score</c> is on the label's own scale.
/// Reach it with <c>mlContext.Regression.Trainers.FeedForward(...)</c>.
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
public sealed class FeedForwardRegressionTrainer : ITrainerEstimator<RegressionPredictionTransformer<FeedForwardModelParameters>, FeedForwardModelParameters>
{
    private readonly FeedForwardTrainer<RegressionPredictionTransformer<FeedForwardModelParameters>> _trainer;

    internal FeedForwardRegressionTrainer(IHostEnvironment environment, Options options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        _trainer = new FeedForwardTrainer<RegressionPredictionTransformer<FeedForwardModelParameters>>(environment, nameof(FeedForwardRegressionTrainer), TaskKind.Regression, options);
    }

    /// <summary>What ML.NET needs to know about the trainer: it needs no normalization and no caching upstream.</summary>
    public TrainerInfo Info => _trainer.Info;

    /// <summary>Trains a network on <paramref name="input"/> and wraps it in ML.NET's prediction transformer.</summary>
    /// <param name="input">The training data, with the feature, label and (if set) example weight columns.</param>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidOperationException">The data cannot be trained on (no rows, a single class, a missing or
    /// infinite feature value), or the loss became NaN or infinite (the message names the epoch).</exception>
    public RegressionPredictionTransformer<FeedForwardModelParameters> Fit(IDataView input) => _trainer.Fit(input);

    /// <summary>The columns the fitted transformer adds to data of <paramref name="inputSchema"/>, after checking the input columns.</summary>
    /// <param name="inputSchema">The shape of the training data.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => _trainer.GetOutputSchema(inputSchema);

    /// <summary>The options of <see cref="FeedForwardRegressionTrainer"/>; every default comes from <see cref="FeedForwardTrainerOptionsBase.Defaults"/>.</summary>
    public sealed class Options : FeedForwardTrainerOptionsBase
    {
        /// <summary>The loss minimized on the standardized label. Default: <see cref="FeedForwardTrainerOptionsBase.Defaults.RegressionLoss"/>.</summary>
        public RegressionLoss Loss = Defaults.RegressionLoss;

        /// <summary>
        /// The residual, in standard deviations of the label, beyond which <see cref="RegressionLoss.Huber"/> grows
        /// linearly; positive. Used only with <see cref="RegressionLoss.Huber"/>. Default: <see cref="FeedForwardTrainerOptionsBase.Defaults.HuberDelta"/>.
        /// </summary>
        public float HuberDelta = Defaults.HuberDelta;

        /// <inheritdoc/>
        internal override void Validate()
        {
            base.Validate();
            if (!Enum.IsDefined(Loss))
            {
                throw new ArgumentException($"{nameof(Loss)} is not a {nameof(RegressionLoss)} value. Received: {nameof(Loss)}={Loss}.", nameof(Loss));
            }

            CheckPositive(HuberDelta, nameof(HuberDelta));
        }

        /// <inheritdoc/>
        internal override float EngineHuberDelta => Loss == RegressionLoss.Huber ? HuberDelta : 0f;
    }
}
