using MlNetDeep.Compute;

namespace MlNetDeep.Training;

/// <summary>
/// Where training gets its rows: the trainer never sees the data set itself, only mini-batches that a source copies
/// into the trainer's buffers. A source is split once into training and validation rows (<see cref="Split"/>); then
/// every pass over a row set asks for consecutive batches, from position 0 up to <see cref="Count"/>, in one order
/// that changes only when <see cref="Shuffle"/> is called. The trainer makes these passes, in this order: the feature
/// and target statistics over the training rows, one sample for the initial diagnostics, then per epoch a shuffle,
/// the training batches and the validation batches, and at the end, on request, the population statistics over the
/// training rows. <see cref="InMemoryBatchSource"/> serves a dense array; a source that streams rows from elsewhere
/// implements the same contract.
/// </summary>
public interface IBatchSource
{
    /// <summary>The number of features of every row.</summary>
    int Columns { get; }

    /// <summary>Whether rows carry weights (when false, <see cref="Read"/> leaves the weights span alone).</summary>
    bool HasWeights { get; }

    /// <summary>Splits the rows into a training and a validation set, drawing from <paramref name="random"/>.</summary>
    /// <param name="task">The task, which says whether the labels are classes to stratify by.</param>
    /// <param name="validationFraction">The share of rows to hold out, in [0, 1); 0 holds out none.</param>
    /// <param name="random">The generator of the training run, advanced by the split.</param>
    void Split(TaskKind task, float validationFraction, RandomGenerator random);

    /// <summary>The number of rows of <paramref name="set"/> (after <see cref="Split"/>).</summary>
    int Count(RowSet set);

    /// <summary>Draws a new order of the training rows from <paramref name="random"/> for the passes that follow.</summary>
    void Shuffle(RandomGenerator random);

    /// <summary>
    /// Copies the rows at positions <c>[start, start + count)</c> of <paramref name="set"/>'s current order: features
    /// row-major into <paramref name="features"/>, labels (the class index, 0/1, or the raw regression target) into
    /// <paramref name="labels"/> and, when <see cref="HasWeights"/>, weights into <paramref name="weights"/>.
    /// </summary>
    void Read(RowSet set, int start, int count, Span<float> features, Span<float> labels, Span<float> weights);

    /// <summary>
    /// Copies <paramref name="count"/> training rows spread evenly over the current order (row
    /// <c>⌊i·Count/count⌋</c> for the i-th), as <see cref="Read"/> does; <paramref name="count"/> is at most
    /// <see cref="Count"/> of the training rows.
    /// </summary>
    void ReadSample(int count, Span<float> features, Span<float> labels, Span<float> weights);
}
