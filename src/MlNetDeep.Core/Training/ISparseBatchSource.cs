namespace MlNetDeep.Training;

/// <summary>
/// A <see cref="IBatchSource"/> whose rows are sparse: it also serves batches in compressed sparse row (CSR) form, and
/// <see cref="NetworkTrainer"/> then reads every pass through <see cref="ReadSparse"/> and <see cref="ReadSampleSparse"/>,
/// in the same order of passes as for any source. The rows are never densified: the network's first layer, a dense
/// layer, multiplies them by its weight <c>[out, in]</c> and computes its weight gradient over their non-zeros only (the
/// first layer needs no input gradient).
/// </summary>
/// <remarks>
/// <para>
/// That asks the network to start with its first dense layer: <see cref="NetworkSpec.InputTransform"/>
/// <see cref="InputTransform.Standardize"/> or <see cref="InputTransform.MaxAbs"/>, no
/// <see cref="NetworkSpec.NumericEmbedding"/>, an <see cref="NetworkSpec.EnsembleSize"/> of 1 and no
/// <see cref="NetworkSpec.InputDropoutRate"/>; the trainer refuses any other spec with an <see cref="ArgumentException"/>
/// naming the settings (densify the rows and use a dense source for those).
/// </para>
/// <para>
/// The input scaling keeps zeros zero: nothing is subtracted (<c>input.mean</c> is 0), and each feature is divided by its
/// standard deviation over the training rows (<see cref="InputTransform.Standardize"/>, the deviation about the mean, as
/// scikit-learn's <c>StandardScaler(with_mean=False)</c>) or by its largest absolute value
/// (<see cref="InputTransform.MaxAbs"/>, exactly as for dense rows). The same network scores dense and sparse rows alike.
/// </para>
/// <para>
/// <see cref="IBatchSource.Read"/> and <see cref="IBatchSource.ReadSample"/> still serve the same rows densified, for
/// callers that want them so.
/// </para>
/// </remarks>
public interface ISparseBatchSource : IBatchSource
{
    /// <summary>
    /// The most non-zero values that any <paramref name="rows"/> rows of the source hold together (training and
    /// validation rows alike): the trainer sizes its CSR buffers by it once, so training steps allocate nothing.
    /// </summary>
    int MaxNonZeros(int rows);

    /// <summary>
    /// Copies the rows at positions <c>[start, start + count)</c> of <paramref name="set"/>'s current order in CSR form:
    /// the i-th row's non-zero values to <c>values[rowStarts[i] .. rowStarts[i + 1])</c> and their columns, increasing, to
    /// the same positions of <paramref name="indices"/>, with <c>rowStarts[0] = 0</c> (<paramref name="rowStarts"/> takes
    /// <paramref name="count"/> + 1 offsets); labels and weights as <see cref="IBatchSource.Read"/> does.
    /// </summary>
    void ReadSparse(RowSet set, int start, int count, Span<float> values, Span<int> indices, Span<int> rowStarts, Span<float> labels, Span<float> weights);

    /// <summary>
    /// Copies the diagnostics sample of <paramref name="count"/> training rows (the rows <see cref="IBatchSource.ReadSample"/>
    /// reads) in CSR form, as <see cref="ReadSparse"/> does.
    /// </summary>
    void ReadSampleSparse(int count, Span<float> values, Span<int> indices, Span<int> rowStarts, Span<float> labels, Span<float> weights);
}
