namespace MlNetDeep;

/// <summary>
/// What happened in one training epoch: the one record of an epoch, which training reports as each epoch ends
/// (the trainers' <c>Options.Progress</c>) and a trained model keeps, one per epoch run
/// (<c>FeedForwardModelParameters.TrainingHistory</c>).
/// </summary>
public sealed class TrainingEpoch
{
    /// <summary>Creates the record of one epoch.</summary>
    /// <param name="epoch">The epoch number, from 1.</param>
    /// <param name="trainingLoss">The mean (example-weighted) training loss over the epoch's mini-batches.</param>
    /// <param name="validationLoss">The loss on the validation rows, or null without validation rows.</param>
    /// <param name="validationMetric">The accuracy (classification) or RMSE on the label's scale (regression) on the validation rows, or null.</param>
    /// <param name="learningRate">The learning rate used in the epoch.</param>
    /// <param name="elapsedSeconds">The seconds since training started, at the end of the epoch.</param>
    public TrainingEpoch(int epoch, double trainingLoss, double? validationLoss, double? validationMetric, double learningRate, double elapsedSeconds)
    {
        Epoch = epoch;
        TrainingLoss = trainingLoss;
        ValidationLoss = validationLoss;
        ValidationMetric = validationMetric;
        LearningRate = learningRate;
        ElapsedSeconds = elapsedSeconds;
    }

    /// <summary>The epoch number, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The mean (example-weighted) training loss over the epoch's mini-batches.</summary>
    public double TrainingLoss { get; }

    /// <summary>The loss on the validation rows, or null when none were held out.</summary>
    public double? ValidationLoss { get; }

    /// <summary>
    /// The accuracy (classification, between 0 and 1) or the root mean squared error on the label's own scale
    /// (regression) on the validation rows, or null when none were held out.
    /// </summary>
    public double? ValidationMetric { get; }

    /// <summary>The learning rate used in the epoch.</summary>
    public double LearningRate { get; }

    /// <summary>The seconds since training started, at the end of the epoch.</summary>
    public double ElapsedSeconds { get; }

    /// <inheritdoc/>
    public override string ToString()
        => FormattableString.Invariant($"epoch {Epoch}: training loss {TrainingLoss:G5}, validation loss {ValidationLoss?.ToString("G5", System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, validation metric {ValidationMetric?.ToString("G5", System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, learning rate {LearningRate:G3}, {ElapsedSeconds:F2} s");
}
