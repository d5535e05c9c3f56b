namespace MlNetDeep.Training;

/// <summary>
/// Stops training when the validation loss has not improved for <see cref="Patience"/> reported epochs, as Keras
/// <c>EarlyStopping(monitor='val_loss', mode='min')</c>: a loss improves when <c>loss &lt; best − minDelta</c>.
/// It records which epoch was best; the trainer keeps that epoch's weights and restores them at the end.
/// A NaN loss never improves.
/// </summary>
internal sealed class EarlyStopping
{
    private int _lastEpoch = -1;
    private double _bestSecondary = double.PositiveInfinity;

    /// <summary>Creates the rule.</summary>
    /// <param name="patience">Epochs without improvement tolerated (0 stops at the first one).</param>
    /// <param name="minDelta">The decrease below the best that counts as an improvement (non-negative).</param>
    public EarlyStopping(int patience, double minDelta = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        if (!(minDelta >= 0) || double.IsInfinity(minDelta))
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), $"The minimum improvement must be finite and non-negative. Received: minDelta={minDelta}.");
        }

        Patience = patience;
        MinDelta = minDelta;
    }

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>The decrease that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>The best validation loss so far (+∞ before any report).</summary>
    public double BestLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>The epoch that reached <see cref="BestLoss"/> (−1 before any improvement).</summary>
    public int BestEpoch { get; private set; } = -1;

    /// <summary>Reported epochs since the last improvement.</summary>
    public int EpochsWithoutImprovement { get; private set; }

    /// <summary>Whether training should stop now.</summary>
    public bool ShouldStop { get; private set; }

    /// <summary>
    /// Takes the validation loss at the end of <paramref name="epoch"/> (reported in increasing order) and returns
    /// whether it is the new best (the caller then snapshots the weights).
    /// </summary>
    public bool Report(int epoch, double validationLoss) => Report(epoch, validationLoss, 0);

    /// <summary>
    /// Records the epoch's score, lower being better: <paramref name="primary"/> first, <paramref name="secondary"/>
    /// deciding between equal primaries (an accuracy's ties by the loss). Returns whether it is the best so far.
    /// </summary>
    public bool Report(int epoch, double primary, double secondary)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (epoch <= _lastEpoch)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), $"Epochs must be reported in increasing order. Received: epoch={epoch} after {_lastEpoch}.");
        }

        _lastEpoch = epoch;
        if (primary < BestLoss - MinDelta || (primary == BestLoss && secondary < _bestSecondary))
        {
            BestLoss = primary;
            _bestSecondary = secondary;
            BestEpoch = epoch;
            EpochsWithoutImprovement = 0;
            return true;
        }

        EpochsWithoutImprovement++;
        if (EpochsWithoutImprovement >= Patience)
        {
            ShouldStop = true;
        }

        return false;
    }
}
