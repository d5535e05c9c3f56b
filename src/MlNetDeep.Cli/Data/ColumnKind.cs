namespace MlNetDeep.Cli.Data;

/// <summary>How a CSV column enters the pipeline.</summary>
internal enum ColumnKind
{
    /// <summary>Numbers (invariant culture): a <c>Single</c> feature; empty fields are missing and imputed with the column mean.</summary>
    Numeric,

    /// <summary>Text: one-hot encoded; an empty field is missing and encodes as all zeros.</summary>
    Categorical,
}
