namespace MlNetDeep;

/// <summary>
/// How the learning rate changes from epoch to epoch, starting from
/// <see cref="FeedForwardTrainerOptionsBase.LearningRate"/> in the first epoch. The constants each schedule uses
/// are in <see cref="FeedForwardTrainerOptionsBase.Defaults"/>.
/// </summary>
public enum LearningRateSchedule
{
    /// <summary>The same learning rate in every epoch.</summary>
    Constant,

    /// <summary>
    /// The rate is multiplied by <see cref="FeedForwardTrainerOptionsBase.Defaults.StepDecayFactor"/> every
    /// <see cref="FeedForwardTrainerOptionsBase.Defaults.StepDecayEpochs"/> epochs.
    /// </summary>
    StepDecay,

    /// <summary>
    /// The rate is multiplied by <see cref="FeedForwardTrainerOptionsBase.Defaults.ExponentialDecayGamma"/>
    /// after every epoch.
    /// </summary>
    ExponentialDecay,

    /// <summary>
    /// The rate follows half a cosine from its initial value down to
    /// <see cref="FeedForwardTrainerOptionsBase.Defaults.MinimumLearningRateFraction"/> of it over
    /// <see cref="FeedForwardTrainerOptionsBase.NumberOfEpochs"/> epochs.
    /// </summary>
    CosineAnnealing,

    /// <summary>
    /// The rate is multiplied by <see cref="FeedForwardTrainerOptionsBase.Defaults.PlateauFactor"/> when the
    /// validation loss has not improved for <see cref="FeedForwardTrainerOptionsBase.Defaults.PlateauPatience"/>
    /// epochs, never going below <see cref="FeedForwardTrainerOptionsBase.Defaults.MinimumLearningRateFraction"/>
    /// (1 %) of the initial rate. Without validation rows (<see cref="FeedForwardTrainerOptionsBase.ValidationFraction"/>
    /// = 0) the training loss is watched instead.
    /// </summary>
    ReduceOnPlateau,
}
