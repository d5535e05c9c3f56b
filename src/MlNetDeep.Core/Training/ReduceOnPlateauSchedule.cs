namespace MlNetDeep.Training;

/// <summary>
/// Lowers the rate when the validation loss stops improving, as <c>torch.optim.lr_scheduler.ReduceLROnPlateau</c>
/// in mode <c>min</c> with a relative threshold: a loss improves on the best when <c>loss &lt; best·(1 − threshold)</c>;
/// after more than <see cref="Patience"/> reported epochs without improvement the rate becomes
/// <c>max(lr·factor, minLr)</c> (skipped when that changes it by less than 1e-8), the count restarts and
/// <see cref="Cooldown"/> further epochs are not counted. The new rate applies from the next epoch.
/// </summary>
public sealed class ReduceOnPlateauSchedule : LearningRateScheduler
{
    private const double MinChange = 1e-8;

    private double _learningRate;
    private int _cooldownLeft;
    private int _lastEpoch = -1;

    /// <summary>Creates the schedule (PyTorch defaults: factor 0.1, patience 10, min 0, threshold 1e-4, cooldown 0).</summary>
    /// <param name="baseLearningRate">The starting rate.</param>
    /// <param name="factor">The multiplier in (0, 1).</param>
    /// <param name="patience">Epochs without improvement tolerated before a reduction.</param>
    /// <param name="minLearningRate">The floor (non-negative).</param>
    /// <param name="threshold">The relative improvement that counts, in [0, 1).</param>
    /// <param name="cooldown">Epochs after a reduction that are not counted as bad.</param>
    public ReduceOnPlateauSchedule(double baseLearningRate, double factor = 0.1, int patience = 10, double minLearningRate = 0, double threshold = 1e-4, int cooldown = 0)
        : base(baseLearningRate)
    {
        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), $"The reduction factor must be in (0, 1). Received: factor={factor}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        if (!(minLearningRate >= 0) || !(threshold >= 0 && threshold < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), $"The minimum rate must be non-negative and the threshold in [0, 1). Received: minLearningRate={minLearningRate}, threshold={threshold}.");
        }

        Factor = factor;
        Patience = patience;
        MinLearningRate = minLearningRate;
        Threshold = threshold;
        Cooldown = cooldown;
        _learningRate = baseLearningRate;
    }

    /// <summary>The multiplier applied at each reduction.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement tolerated before a reduction.</summary>
    public int Patience { get; }

    /// <summary>The floor of the rate.</summary>
    public double MinLearningRate { get; }

    /// <summary>The relative improvement that counts.</summary>
    public double Threshold { get; }

    /// <summary>Epochs after a reduction that are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>The best validation loss reported so far (+∞ before any).</summary>
    public double BestLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>Reported epochs since the last improvement or reduction.</summary>
    public int BadEpochs { get; private set; }

    /// <summary>The current rate (the <paramref name="epoch"/> argument only has to be valid).</summary>
    public override double LearningRate(int epoch)
    {
        CheckEpoch(epoch);
        return _learningRate;
    }

    /// <summary>Takes the validation loss of <paramref name="epoch"/>; reports must come in increasing epoch order.</summary>
    public override void Report(int epoch, double validationLoss)
    {
        CheckEpoch(epoch);
        if (epoch <= _lastEpoch)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), $"Epochs must be reported in increasing order. Received: epoch={epoch} after {_lastEpoch}.");
        }

        _lastEpoch = epoch;
        if (validationLoss < BestLoss * (1 - Threshold))
        {
            BestLoss = validationLoss;
            BadEpochs = 0;
        }
        else
        {
            BadEpochs++;
        }

        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            BadEpochs = 0;
        }

        if (BadEpochs > Patience)
        {
            var reduced = Math.Max(_learningRate * Factor, MinLearningRate);
            if (_learningRate - reduced > MinChange)
            {
                _learningRate = reduced;
            }

            _cooldownLeft = Cooldown;
            BadEpochs = 0;
        }
    }
}
