namespace MlNetDeep.Training;

/// <summary>The two sets of rows a <see cref="IBatchSource"/> serves once it has been split.</summary>
public enum RowSet
{
    /// <summary>The rows the network learns from.</summary>
    Training,

    /// <summary>The rows held out to measure the network after every epoch (early stopping, the validation metric).</summary>
    Validation,
}
