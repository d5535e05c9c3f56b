using Microsoft.ML;
using MlNetDeep.Training;

namespace MlNetDeep.Internal;

/// <summary>
/// ML.NET's side of <see cref="TaskKind"/>: its internal <c>PredictionKind</c>, and the number that stands for the task
/// in model files.
/// </summary>
internal static class TaskKindExtensions
{
    /// <summary>The ML.NET prediction kind of <paramref name="task"/>.</summary>
    public static PredictionKind ToPredictionKind(this TaskKind task) => task switch
    {
        TaskKind.Regression => PredictionKind.Regression,
        TaskKind.Binary => PredictionKind.BinaryClassification,
        TaskKind.Multiclass => PredictionKind.MulticlassClassification,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task."),
    };

    /// <summary>
    /// The number a model file stores for <paramref name="task"/>: 1 regression, 2 binary, 3 multiclass classification.
    /// These numbers are persisted: never renumber them.
    /// </summary>
    public static int ToPersistedCode(this TaskKind task) => task switch
    {
        TaskKind.Regression => 1,
        TaskKind.Binary => 2,
        TaskKind.Multiclass => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task."),
    };

    /// <summary>The task <paramref name="code"/> stands for in a model file (see <see cref="ToPersistedCode"/>), or null for an unknown number.</summary>
    public static TaskKind? FromPersistedCode(int code) => code switch
    {
        1 => TaskKind.Regression,
        2 => TaskKind.Binary,
        3 => TaskKind.Multiclass,
        _ => null,
    };
}
