namespace MlNetDeep;

/// <summary>How a feed-forward trainer holds its training rows (<see cref="FeedForwardTrainerOptionsBase.DataLoading"/>).</summary>
public enum DataLoading
{
    /// <summary>
    /// <see cref="Sparse"/> when the feature column's first row is a sparse vector (as the columns of
    /// <c>FeaturizeText</c> and <c>OneHotEncoding</c> are), the network takes sparse rows (its
    /// <see cref="FeedForwardTrainerOptionsBase.InputTransform"/> is <see cref="InputTransform.Standardize"/> or
    /// <see cref="InputTransform.MaxAbs"/>, with no numeric embedding, a single network and no input dropout) and at most
    /// <see cref="FeedForwardTrainerOptionsBase.Defaults.MaxSparseDensity"/> of the training rows' feature values are
    /// non-zero. Otherwise <see cref="InMemory"/> when the dense copy of the features takes less than a quarter of the
    /// memory available to the process (<see cref="GC.GetGCMemoryInfo()"/>'s <c>TotalAvailableMemoryBytes</c>),
    /// <see cref="Streaming"/> when it takes more (sparse rows that turn out too dense are densified from the sparse copy
    /// rather than read again). The choice is written to the <c>MLContext</c>'s log.
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
    /// 50,000: as many per class as <see cref="InMemory"/> holds out, stratified the same way, chosen by a seeded hash
    /// of each row's id). The feature and target statistics come from two passes over the training rows (means, then
    /// deviations about them). Memory does not grow with the number of rows; the view is read once per epoch plus four
    /// times before training (the labels alone, to count each class's rows, the split and the two statistics passes), so
    /// a view that is expensive to compute is worth caching first if it fits.
    /// </summary>
    Streaming,

    /// <summary>
    /// Copies every row into memory in compressed sparse row form (the non-zero values, their column indices and where
    /// each row starts: 8 bytes per non-zero, the arrays grown by doubling while the view is read) and trains without
    /// densifying them: the network's first dense layer multiplies the rows and computes its weight gradient over their
    /// non-zeros only. The features are scaled without centering, so zeros stay zero: divided by their standard deviation
    /// (<see cref="InputTransform.Standardize"/>, the mean is not subtracted) or by their largest absolute value
    /// (<see cref="InputTransform.MaxAbs"/>). It needs a network that starts with its first dense layer:
    /// <see cref="FeedForwardTrainerOptionsBase.InputTransform"/> <see cref="InputTransform.Standardize"/> or
    /// <see cref="InputTransform.MaxAbs"/>, <see cref="FeedForwardTrainerOptionsBase.NumericEmbedding"/>
    /// <see cref="NumericEmbedding.None"/>, <see cref="FeedForwardTrainerOptionsBase.EnsembleSize"/> 1 and
    /// <see cref="FeedForwardTrainerOptionsBase.InputDropoutRate"/> 0; the trainer refuses any other options with an
    /// <see cref="ArgumentException"/> naming them. Scoring sparse rows reads their non-zeros too.
    /// </summary>
    Sparse,
}
