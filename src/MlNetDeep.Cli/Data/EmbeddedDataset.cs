namespace MlNetDeep.Cli.Data;

/// <summary>
/// The dataset built into the tool: scikit-learn's <c>digits</c> (1797 rows of 8×8 pixel intensities 0–16,
/// label <c>Label</c> = the digit 0–9; the repository's data/digits.csv), used by <c>train</c> without <c>--dataset</c>.
/// </summary>
internal static class EmbeddedDataset
{
    /// <summary>The name shown in messages.</summary>
    public const string Name = "digits (embedded)";

    /// <summary>The label column.</summary>
    public const string Label = "Label";

    private const string ResourceName = "MlNetDeep.Cli.digits.csv";

    /// <summary>Reads the embedded table.</summary>
    public static CsvTable Load()
    {
        using var stream = typeof(EmbeddedDataset).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The resource '{ResourceName}' is missing from the tool's assembly.");
        using var reader = new StreamReader(stream);
        return CsvTable.Parse(reader, Name);
    }
}
