namespace MlNetDeep.Samples.InitializationStudy;

/// <summary>What the initialization study trains: the network's shape, the budget and the configurations to compare.</summary>
public sealed record StudySettings
{
    /// <summary>The number of hidden layers.</summary>
    public int Layers { get; init; } = 10;

    /// <summary>The units of every hidden layer.</summary>
    public int Units { get; init; } = 256;

    /// <summary>The epochs each configuration trains for.</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>The first rows of digits.csv to use (20% of them held out for validation); 0 for all 1,797.</summary>
    public int Rows { get; init; }

    /// <summary>The mini-batch size.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The seed of initialization, validation split and shuffling, the same for every configuration.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The folder initstudy.md and initstudy.png are written to.</summary>
    public string OutputDirectory { get; init; } = ".";

    /// <summary>The initializers compared.</summary>
    public IReadOnlyList<WeightInitializer> Initializers { get; init; } =
    [
        WeightInitializer.Zeros, WeightInitializer.RandomNormal, WeightInitializer.XavierUniform, WeightInitializer.XavierNormal,
        WeightInitializer.HeNormal, WeightInitializer.LeCunNormal,
    ];

    /// <summary>The hidden-layer activations compared.</summary>
    public IReadOnlyList<Activation> Activations { get; init; } = [Activation.Tanh, Activation.ReLU, Activation.SELU];

    /// <summary>The normalizations compared.</summary>
    public IReadOnlyList<Normalization> Normalizations { get; init; } = [Normalization.None, Normalization.BatchNorm, Normalization.LayerNorm];
}
