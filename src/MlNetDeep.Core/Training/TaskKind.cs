namespace MlNetDeep.Training;

/// <summary>
/// What a network predicts, which decides its output layer and loss. The engine, the ML.NET trainers (which map it to
/// ML.NET's prediction kind) and the command-line tool share this one enum. <see cref="Serialization.NetworkSerializer"/>
/// persists the numeric values, so they never change.
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
