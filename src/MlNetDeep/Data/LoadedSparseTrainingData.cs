using MlNetDeep.Training;

namespace MlNetDeep.Data;

/// <summary>
/// Training rows read sparse from an <c>IDataView</c> by <see cref="TrainingDataReader.ReadSparse"/>: the engine's
/// <see cref="SparseTrainingData"/>, with the classes and how many rows were skipped.
/// </summary>
internal sealed class LoadedSparseTrainingData
{
    /// <summary>Wraps rows that <see cref="TrainingDataReader"/> has read and checked.</summary>
    public LoadedSparseTrainingData(SparseTrainingData data, int classCount, long skippedRowCount, string[]? slotNames, string[]? classNames)
    {
        Data = data;
        ClassCount = classCount;
        SkippedRowCount = skippedRowCount;
        SlotNames = slotNames;
        ClassNames = classNames;
    }

    /// <summary>The rows kept, their labels encoded and weights checked as <see cref="LoadedTrainingData.Data"/>'s are; only non-zero features are stored.</summary>
    public SparseTrainingData Data { get; }

    /// <summary>The number of classes: the label key's count for multiclass, 2 for binary, 0 for regression.</summary>
    public int ClassCount { get; }

    /// <summary>How many rows were skipped because their label was missing (NaN, or key 0).</summary>
    public long SkippedRowCount { get; }

    /// <summary>The feature column's slot names (one per feature), or null when it has none.</summary>
    public string[]? SlotNames { get; }

    /// <summary>The label key's values as text (one per class, in class-index order), or null when it has none.</summary>
    public string[]? ClassNames { get; }

    /// <summary>The share of the rows' feature values that are non-zero.</summary>
    public double Density => Data.NonZeroCount / Math.Max(1.0, (double)Data.Rows * Data.Columns);

    /// <summary>The same rows dense, in one array allocated at its final size.</summary>
    public LoadedTrainingData Densify()
    {
        var data = Data;
        var features = new float[(long)data.Rows * data.Columns];
        for (var r = 0; r < data.Rows; r++)
        {
            var row = features.AsSpan(r * data.Columns, data.Columns);
            var values = data.RowValues(r);
            var indices = data.RowIndices(r);
            for (var p = 0; p < values.Length; p++)
            {
                row[indices[p]] = values[p];
            }
        }

        return new LoadedTrainingData(new TrainingData(features, data.Rows, data.Columns, data.Labels, data.Weights), ClassCount, SkippedRowCount, SlotNames, ClassNames);
    }
}
