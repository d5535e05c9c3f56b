namespace MlNetDeep.Training;

/// <summary>
/// The base rate for the first <see cref="FlatFraction"/> of the training, then half a cosine down to 0 at its end:
/// the shape of the <c>flat_cos</c> schedule of pytabkit (Holzmüller et al., "Better by default", 2024, whose RealMLP
/// uses it for its dropout rate and weight decay). With <c>T</c> total epochs and the progress <c>t = e/T</c> at the
/// start of the 0-based epoch <c>e</c>, and <c>f</c> the flat fraction: <c>lr(e) = base</c> for <c>t ≤ f</c>, then
/// <c>lr(e) = base·(1 + cos(π·(t − f)/(1 − f)))/2</c>; <c>lr(e) = 0</c> from epoch <c>T</c> on.
/// </summary>
/// <remarks>
/// The rate is the curve at the start of each epoch, as <see cref="CosineAnnealingSchedule"/>'s, so 0 is reached at
/// <c>e = T</c>, when training ends: the last epoch, <c>e = T − 1</c>, trains at <c>base·(1 − cos(π/(T·(1 − f))))/2</c>,
/// about 0.1 % of the base rate for 100 epochs and <c>f</c> = 0.5. Every epoch <c>e ≤ f·T</c> trains at the base rate.
/// </remarks>
public sealed class FlatCosineSchedule : LearningRateScheduler
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseLearningRate">The rate of the flat part.</param>
    /// <param name="totalEpochs">The number of training epochs <c>T</c>, at least 1.</param>
    /// <param name="flatFraction">The share <c>f</c> of the training at the base rate, in [0, 1); 0 is a cosine from the start.</param>
    public FlatCosineSchedule(double baseLearningRate, int totalEpochs, double flatFraction)
        : base(baseLearningRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalEpochs, 1);
        if (!(flatFraction >= 0 && flatFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(flatFraction), $"The flat fraction must be in [0, 1). Received: flatFraction={flatFraction}.");
        }

        TotalEpochs = totalEpochs;
        FlatFraction = flatFraction;
    }

    /// <summary>The number of training epochs.</summary>
    public int TotalEpochs { get; }

    /// <summary>The share of the training at the base rate.</summary>
    public double FlatFraction { get; }

    /// <inheritdoc/>
    public override double LearningRate(int epoch)
    {
        CheckEpoch(epoch);
        if (epoch >= TotalEpochs)
        {
            return 0;
        }

        var progress = (double)epoch / TotalEpochs;
        if (progress <= FlatFraction)
        {
            return BaseLearningRate;
        }

        var decay = (progress - FlatFraction) / (1 - FlatFraction);
        return BaseLearningRate * (1 + Math.Cos(Math.PI * decay)) / 2;
    }
}
