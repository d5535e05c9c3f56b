using Microsoft.ML;

namespace MlNetDeep.Internal;

/// <summary>
/// What a persisted model predicts. Stands in for ML.NET's internal <c>PredictionKind</c> in signatures that
/// code outside src/MlNetDeep/Internal (and the tests, which compile against the real ML.NET) can use.
/// The numeric values are persisted: never renumber them.
/// </summary>
internal enum ModelTask
{
    /// <summary>One <c>Single</c> score per row.</summary>
    Regression = 1,

    /// <summary>One <c>Single</c> score per row, thresholded into a <c>Boolean</c> predicted label.</summary>
    BinaryClassification = 2,

    /// <summary>A vector of scores per row, one per class.</summary>
    MulticlassClassification = 3,
}

/// <summary>Conversions between <see cref="ModelTask"/> and ML.NET's <c>PredictionKind</c>.</summary>
internal static class ModelTaskExtensions
{
    /// <summary>The ML.NET prediction kind of <paramref name="task"/>.</summary>
    public static PredictionKind ToPredictionKind(this ModelTask task) => task switch
    {
        ModelTask.Regression => PredictionKind.Regression,
        ModelTask.BinaryClassification => PredictionKind.BinaryClassification,
        ModelTask.MulticlassClassification => PredictionKind.MulticlassClassification,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown model task."),
    };
}
