namespace MlNetDeep.Training;

/// <summary>
/// What a network predicts, which decides its output layer and loss; the one task enum of the engine, the ML.NET
/// trainers (which map it to ML.NET's prediction kind and persist it in src/MlNetDeep/Internal/TaskKindExtensions.cs)
/// and the command-line tool. The numeric values are persisted by <c>NetworkSerializer</c>: never renumber them.
/// </summary>
public enum TaskKind
{
    /// <summary>One logit per class; softmax cross-entropy.</summary>
    Multiclass = 0,

    /// <summary>One logit; sigmoid binary cross-entropy.</summary>
    Binary = 1,

    /// <summary>One value on the standardized target scale; mean squared error (or Huber).</summary>
    Regression = 2,
}
