using MlNetDeep.Cli.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Cli.Commands;

/// <summary>The options of <c>mlnetdeep train</c>; a null value leaves the trainer's default.</summary>
internal sealed record TrainSettings
{
    /// <summary>The CSV file, or null for the embedded digits dataset.</summary>
    public string? Dataset { get; init; }

    /// <summary>The label column.</summary>
    public string Label { get; init; } = EmbeddedDataset.Label;

    /// <summary>The task, or null to infer it from the label.</summary>
    public TaskKind? Task { get; init; }

    /// <summary>Hidden layer widths.</summary>
    public int[]? Hidden { get; init; }

    /// <summary>Hidden layer activation.</summary>
    public Activation? Activation { get; init; }

    /// <summary>Hidden layer normalization.</summary>
    public Normalization? Normalization { get; init; }

    /// <summary>Dropout rate after each hidden layer.</summary>
    public float? Dropout { get; init; }

    /// <summary>Maximum number of epochs.</summary>
    public int? Epochs { get; init; }

    /// <summary>Base learning rate.</summary>
    public float? LearningRate { get; init; }

    /// <summary>Mini-batch size.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Label smoothing, Adam's betas and the learning-rate schedule.</summary>
    public TrainingFlags Training { get; init; } = new();

    /// <summary>The model file to write; the learning curve goes beside it.</summary>
    public string Output { get; init; } = TrainCommand.DefaultOutput;

    /// <summary>The share of rows held out as the test set.</summary>
    public float TestFraction { get; init; } = TrainCommand.DefaultTestFraction;

    /// <summary>Whether the trainer records per-layer diagnostics, plotted and exported beside the model.</summary>
    public bool Diagnostics { get; init; }


    /// <summary>The seed of the test split and of training.</summary>
    public int Seed { get; init; } = TrainCommand.DefaultSeed;
}
