namespace MlNetDeep.Data;

/// <summary>
/// Training rows read from an <c>IDataView</c> into dense buffers for the engine: features row-major
/// [<see cref="RowCount"/>, <see cref="FeatureCount"/>], one label per row and optional example weights.
/// Made by <see cref="TrainingDataReader.Read"/>.
/// </summary>
internal sealed class LoadedTrainingData
{
    /// <summary>Wraps buffers that <see cref="TrainingDataReader"/> has filled and checked.</summary>
    public LoadedTrainingData(
        float[] features,
        float[] labels,
        float[]? weights,
        int featureCount,
        int classCount,
        long skippedRowCount,
        string[]? slotNames,
        string[]? classNames)
    {
        Features = features;
        Labels = labels;
        Weights = weights;
        FeatureCount = featureCount;
        ClassCount = classCount;
        SkippedRowCount = skippedRowCount;
        SlotNames = slotNames;
        ClassNames = classNames;
    }

    /// <summary>The features, row-major [<see cref="RowCount"/>, <see cref="FeatureCount"/>]; every value is finite.</summary>
    public float[] Features { get; }

    /// <summary>
    /// One label per row: the value for regression, 0 or 1 for binary classification, and the class index
    /// (key value − 1, so 0 to <see cref="ClassCount"/> − 1) for multiclass classification.
    /// </summary>
    public float[] Labels { get; }

    /// <summary>One finite, non-negative example weight per row, or null when no weight column was given.</summary>
    public float[]? Weights { get; }

    /// <summary>How many rows were kept (rows with a missing label are not).</summary>
    public int RowCount => Labels.Length;

    /// <summary>How many features each row has.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of classes: the label key's count for multiclass, 2 for binary, 0 for regression.</summary>
    public int ClassCount { get; }

    /// <summary>How many rows were skipped because their label was missing (NaN, or key 0).</summary>
    public long SkippedRowCount { get; }

    /// <summary>The feature column's slot names (one per feature), or null when it has none.</summary>
    public string[]? SlotNames { get; }

    /// <summary>The label key's values as text (one per class, in class-index order), or null when it has none.</summary>
    public string[]? ClassNames { get; }
}
