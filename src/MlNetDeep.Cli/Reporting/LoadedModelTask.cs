using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Cli.Reporting;

/// <summary>Recognizes the task of a loaded model from the columns it produces.</summary>
internal static class LoadedModelTask
{
    /// <summary>
    /// Multiclass models produce a vector <c>Score</c>, binary ones a <c>Probability</c>, regression ones a single <c>Score</c>.
    /// </summary>
    /// <exception cref="CliException">The output has no <c>Score</c> column.</exception>
    public static TaskKind FromOutput(DataViewSchema output, string modelPath)
    {
        var score = output.GetColumnOrNull("Score")
            ?? throw new CliException($"The model '{modelPath}' produces no Score column: it is not a model trained by mlnetdeep train.");
        return score.Type is VectorDataViewType ? TaskKind.Multiclass
            : output.GetColumnOrNull("Probability") is not null ? TaskKind.Binary
            : TaskKind.Regression;
    }
}
