namespace MlNetDeep.Cli.Data;

/// <summary>The machine learning task of a training run, as named on the command line.</summary>
internal enum TaskKind
{
    /// <summary>Multiclass classification: the label is a class name (text or integer).</summary>
    Multiclass,

    /// <summary>Binary classification: the label has exactly two values; the second in sort order is the positive class.</summary>
    Binary,

    /// <summary>Regression: the label is a number.</summary>
    Regression,
}
