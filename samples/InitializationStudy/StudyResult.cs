namespace MlNetDeep.Samples.InitializationStudy;

/// <summary>One trained configuration of the study.</summary>
/// <param name="Initializer">The weight initializer.</param>
/// <param name="Activation">The hidden-layer activation.</param>
/// <param name="Normalization">The hidden-layer normalization.</param>
/// <param name="InitialStd">Per hidden layer, the activation standard deviation of the network as initialized (diagnostics epoch 0).</param>
/// <param name="FinalStd">Per hidden layer, the activation standard deviation over the last epoch.</param>
/// <param name="LastLayerDeadOrSaturated">The last hidden layer's share of dead ReLU-family units or saturated tanh outputs in the last epoch, when it applies.</param>
/// <param name="GradientWarnings">How many vanishing or exploding gradient warnings the diagnostics raised.</param>
/// <param name="ValidationAccuracy">The validation accuracy after the last epoch; NaN when training diverged.</param>
public sealed record StudyRow(
    WeightInitializer Initializer,
    Activation Activation,
    Normalization Normalization,
    IReadOnlyList<double> InitialStd,
    IReadOnlyList<double> FinalStd,
    double? LastLayerDeadOrSaturated,
    int GradientWarnings,
    double ValidationAccuracy);

/// <summary>The study's rows and the files it wrote.</summary>
/// <param name="Rows">One row per configuration, in table order.</param>
/// <param name="TablePath">The markdown table.</param>
/// <param name="PlotPath">The PNG plot.</param>
public sealed record StudyResult(IReadOnlyList<StudyRow> Rows, string TablePath, string PlotPath);
