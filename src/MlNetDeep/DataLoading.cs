namespace MlNetDeep;

/// <summary>How a feed-forward trainer holds its training rows (<see cref="FeedForwardTrainerOptionsBase.DataLoading"/>).</summary>
public enum DataLoading
{
    /// <summary>
    /// <see cref="InMemory"/> when the dense copy of the features takes less than a quarter of the memory available
    /// to the process (<see cref="GC.GetGCMemoryInfo()"/>'s <c>TotalAvailableMemoryBytes</c>), <see cref="Streaming"/>
    /// otherwise; the choice is written to the <c>MLContext</c>'s log.
    /// </summary>
    Auto,

    /// <summary>
    /// Copies every row into one dense array, allocated once at its final size (about 4 bytes per feature value),
    /// and trains from it: the fastest path, for data that fits in memory.
    /// </summary>
    InMemory,

    /// <summary>
    /// Reads the training view through a cursor on every pass and holds a bounded window of rows: a shuffle buffer
    /// of <see cref="FeedForwardTrainerOptionsBase.ShuffleBufferRows"/> rows and the validation rows (at most
    /// 50,000, chosen by a seeded hash of each row's id). The feature and target statistics come from two passes
    /// over the training rows (means, then deviations about them). Memory does not grow with the number of rows;
    /// the view is read once per epoch plus three times before training (the split and the two statistics passes),
    /// so a view that is expensive to compute is worth caching first if it fits.
    /// </summary>
    Streaming,
}
