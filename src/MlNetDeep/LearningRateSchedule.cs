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

    /// <summary>
    /// The rate stays at its initial value for the first fraction <c>f</c> =
    /// <see cref="FeedForwardTrainerOptionsBase.Defaults.FlatCosineFlatFraction"/> (one half) of
    /// <see cref="FeedForwardTrainerOptionsBase.NumberOfEpochs"/>, then follows half a cosine down to 0 at the end of
    /// training: the shape of pytabkit's <c>flat_cos</c> schedule (which its RealMLP applies to dropout and weight
    /// decay). Each epoch takes the curve's value at its start: with <c>T</c> =
    /// <see cref="FeedForwardTrainerOptionsBase.NumberOfEpochs"/>, epochs 1 to <c>⌊f·T⌋ + 1</c> train at the initial
    /// rate, the rate is half of it at the middle of the decay, and 0 is reached when the last epoch ends, so the last
    /// epoch (epoch <c>T</c>) trains at <c>(1 − cos(π/(T·(1 − f))))/2</c> of the initial rate: 0.1 % for 100 epochs,
    /// 2.4 % for 20. Early stopping may end training before the decay does: raise or turn off
    /// <see cref="FeedForwardTrainerOptionsBase.EarlyStoppingPatience"/> to run the whole schedule.
    /// </summary>
    FlatCosine,
}
