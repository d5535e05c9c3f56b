using MlNetDeep.Training;

namespace MlNetDeep.Data;

/// <summary>
/// Training rows read from an <c>IDataView</c> by <see cref="TrainingDataReader.Read"/>: the engine's dense
/// <see cref="TrainingData"/>, with what the ML.NET schema tells about it (the classes, the feature slot names) and how
/// many rows were skipped.
/// </summary>
internal sealed class LoadedTrainingData
{
    /// <summary>Wraps rows that <see cref="TrainingDataReader"/> has read and checked.</summary>
    public LoadedTrainingData(TrainingData data, int classCount, long skippedRowCount, string[]? slotNames, string[]? classNames)
    {
        Data = data;
        ClassCount = classCount;
        SkippedRowCount = skippedRowCount;
        SlotNames = slotNames;
        ClassNames = classNames;
    }

    /// <summary>
    /// The rows kept (rows with a missing label are not): features row-major [rows, features], every value finite;
    /// one label per row: the value for regression, 0 or 1 for binary classification, and the class index (key
    /// value − 1, so 0 to <see cref="ClassCount"/> − 1) for multiclass classification; one finite, non-negative
    /// example weight per row, or null when no weight column was given.
    /// </summary>
    public TrainingData Data { get; }

    /// <summary>The number of classes: the label key's count for multiclass, 2 for binary, 0 for regression.</summary>
    public int ClassCount { get; }

    /// <summary>How many rows were skipped because their label was missing (NaN, or key 0).</summary>
    public long SkippedRowCount { get; }

    /// <summary>The feature column's slot names (one per feature), or null when it has none.</summary>
    public string[]? SlotNames { get; }

    /// <summary>The label key's values as text (one per class, in class-index order), or null when it has none.</summary>
    public string[]? ClassNames { get; }
}
