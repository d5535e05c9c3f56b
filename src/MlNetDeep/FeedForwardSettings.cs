using MlNetDeep.Diagnostics;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// A snapshot of a trainer's <see cref="FeedForwardTrainerOptionsBase"/>, taken when the trainer is created: the options
/// are checked once (<see cref="FeedForwardTrainerOptionsBase.Validate"/>, whose errors name the options) and mapped
/// onto the engine's hidden layers and <see cref="TrainingSettings"/> in one place, <see cref="FeedForwardSettings(FeedForwardTrainerOptionsBase)"/>.
/// What only the data or the ML.NET environment decides (the input size, the classes, the seed, the threads, the
/// host's cancellation) is added when training starts. Changing the options object afterwards does not change the trainer.
/// </summary>
internal sealed class FeedForwardSettings
{
    private readonly IReadOnlyList<HiddenLayerSpec> _hiddenLayers;
    private readonly float _inputDropoutRate;
    private readonly WeightInitializer _weightInitializer;
    private readonly float? _weightInitializerValue;
    private readonly int? _ensembleSize;
    private readonly InputTransform _inputTransform;
    private readonly NumericEmbedding? _numericEmbedding;
    private readonly int _embeddingDimension;
    private readonly int _embeddingFrequencies;
    private readonly float _embeddingFrequencyScale;
    private readonly int _embeddingBins;
    private readonly TrainingSettings _training;
    private readonly LearningRateSchedule _schedule;

    /// <summary>Checks <paramref name="options"/> and maps them onto the engine's settings.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it and the value received.</exception>
    public FeedForwardSettings(FeedForwardTrainerOptionsBase options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _hiddenLayers = options.Layers is { } layers
            ? [.. layers.Select(l => new HiddenLayerSpec(l.Units, l.Activation ?? options.Activation, l.Normalization ?? options.Normalization, l.DropoutRate ?? options.DropoutRate))]
            : [.. options.HiddenLayers.Select(units => new HiddenLayerSpec(units, options.Activation, options.Normalization, options.DropoutRate))];
        _inputDropoutRate = options.InputDropoutRate;
        _weightInitializer = options.WeightInitializer;
        _weightInitializerValue = options.WeightInitializerValue;
        _ensembleSize = options.EnsembleSize;
        _inputTransform = options.InputTransform;
        _numericEmbedding = options.NumericEmbedding;
        _embeddingDimension = options.EmbeddingDimension;
        _embeddingFrequencies = options.EmbeddingFrequencies;
        _embeddingFrequencyScale = options.EmbeddingFrequencyScale;
        _embeddingBins = options.EmbeddingBins;
        _schedule = options.LearningRateSchedule;
        _training = new TrainingSettings
        {
            Optimizer = options.Optimizer,
            LearningRate = options.LearningRate,
            Momentum = options.Momentum,
            Nesterov = options.Nesterov,
            Beta1 = options.Beta1,
            Beta2 = options.Beta2,
            L2Regularization = options.L2Regularization,
            BatchSize = options.BatchSize,
            NumberOfEpochs = options.NumberOfEpochs,
            EarlyStoppingPatience = options.EarlyStoppingPatience,
            EarlyStoppingMonitor = options.EarlyStoppingMonitor,
            ValidationFraction = options.ValidationFraction,
            GradientClipNorm = options.GradientClipNorm,
            HuberDelta = options.EngineHuberDelta,
            LabelSmoothing = options.EngineLabelSmoothing,
            UsePopulationStatistics = options.UsePopulationStatistics,
            Diagnostics = options.Diagnostics ? new DiagnosticsSettings() : null,
            CancellationToken = options.CancellationToken,
        };
        MonteCarloDropoutPasses = options.MonteCarloDropoutPasses;
        Seed = options.Seed;
        Threads = options.NumberOfThreads;
        LabelColumnName = options.LabelColumnName;
        FeatureColumnName = options.FeatureColumnName;
        ExampleWeightColumnName = options.ExampleWeightColumnName;
        Progress = options.Progress;
        DataLoading = options.DataLoading;
        ShuffleBufferRows = options.ShuffleBufferRows;
        if (DataLoading == DataLoading.Sparse)
        {
            // Whether sparse rows can go straight into the first layer depends on none of the sizes or the task.
            CreateSpec(1, TaskKind.Regression, 0, sparseRows: true).ValidateSparseRows();
        }
    }

    /// <summary>How the training rows are held.</summary>
    public DataLoading DataLoading { get; }

    /// <summary>The rows of the shuffle buffer when streaming.</summary>
    public int ShuffleBufferRows { get; }

    /// <summary>The label column.</summary>
    public string LabelColumnName { get; }

    /// <summary>The feature column.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The example weight column, or null.</summary>
    public string? ExampleWeightColumnName { get; }

    /// <summary>The Monte Carlo dropout passes the model scores with (0 = ordinary scoring).</summary>
    public int MonteCarloDropoutPasses { get; }

    /// <summary>The seed the options give, or null to take the MLContext's.</summary>
    public int? Seed { get; }

    /// <summary>The thread count the options give, or null for all processors.</summary>
    public int? Threads { get; }

    /// <summary>Receives every epoch's record as it ends, or null.</summary>
    public IProgress<TrainingEpoch>? Progress { get; }

    /// <summary>Stops training when cancelled.</summary>
    public CancellationToken CancellationToken => _training.CancellationToken;

    /// <summary>
    /// The network architecture for <paramref name="inputSize"/> features and the given task. An automatic ensemble size
    /// becomes <see cref="FeedForwardTrainerOptionsBase.Defaults.AutomaticEnsembleSize"/> members for up to
    /// <see cref="FeedForwardTrainerOptionsBase.Defaults.AutomaticEnsembleMaxRows"/> dense training rows, and one network for
    /// more rows, for streamed rows (<paramref name="rowCount"/> null) and for rows that go in sparse (<paramref name="sparseRows"/>).
    /// An automatic numeric embedding becomes <see cref="FeedForwardTrainerOptionsBase.Defaults.AutomaticNumericEmbedding"/> for
    /// dense rows in memory of up to <see cref="FeedForwardTrainerOptionsBase.Defaults.AutomaticEmbeddingMaxFeatures"/> features,
    /// and none for wider, streamed or sparse rows.
    /// </summary>
    public NetworkSpec CreateSpec(int inputSize, TaskKind task, int classCount, bool sparseRows = false, long? rowCount = null) => new()
    {
        InputSize = inputSize,
        Task = task,
        ClassCount = task == TaskKind.Multiclass ? classCount : 0,
        HiddenLayers = _hiddenLayers,
        InputDropoutRate = _inputDropoutRate,
        WeightInitializer = _weightInitializer,
        WeightInitializerValue = _weightInitializerValue,
        EnsembleSize = _ensembleSize
            ?? (sparseRows || rowCount is null || rowCount > FeedForwardTrainerOptionsBase.Defaults.AutomaticEnsembleMaxRows ? 1 : FeedForwardTrainerOptionsBase.Defaults.AutomaticEnsembleSize),
        InputTransform = _inputTransform,
        NumericEmbedding = _numericEmbedding
            ?? (sparseRows || rowCount is null || inputSize > FeedForwardTrainerOptionsBase.Defaults.AutomaticEmbeddingMaxFeatures ? NumericEmbedding.None : FeedForwardTrainerOptionsBase.Defaults.AutomaticNumericEmbedding),
        EmbeddingDimension = _embeddingDimension,
        EmbeddingFrequencies = _embeddingFrequencies,
        EmbeddingFrequencyScale = _embeddingFrequencyScale,
        EmbeddingBins = _embeddingBins,
    };

    /// <summary>
    /// The engine's training settings with the resolved <paramref name="seed"/> and <paramref name="threads"/>, a fresh
    /// learning-rate scheduler (schedulers keep state), and <paramref name="checkCancellation"/> checked with the
    /// options' cancellation token before every batch.
    /// </summary>
    public TrainingSettings CreateTrainingSettings(long seed, int threads, Action? checkCancellation = null) => _training with
    {
        Schedule = CreateSchedule(_schedule, _training.LearningRate, _training.NumberOfEpochs),
        Seed = seed,
        Threads = threads,
        CheckCancellation = checkCancellation,
    };

    /// <summary>The scheduler of <paramref name="schedule"/>, with the constants of <see cref="FeedForwardTrainerOptionsBase.Defaults"/>.</summary>
    private static LearningRateScheduler CreateSchedule(LearningRateSchedule schedule, float learningRate, int epochs)
    {
        var minimum = learningRate * FeedForwardTrainerOptionsBase.Defaults.MinimumLearningRateFraction;
        return schedule switch
        {
            LearningRateSchedule.Constant => new ConstantSchedule(learningRate),
            LearningRateSchedule.StepDecay => new StepDecaySchedule(learningRate, FeedForwardTrainerOptionsBase.Defaults.StepDecayFactor, FeedForwardTrainerOptionsBase.Defaults.StepDecayEpochs),
            LearningRateSchedule.ExponentialDecay => new ExponentialDecaySchedule(learningRate, FeedForwardTrainerOptionsBase.Defaults.ExponentialDecayGamma),
            LearningRateSchedule.CosineAnnealing => new CosineAnnealingSchedule(learningRate, epochs, minimum),
            LearningRateSchedule.ReduceOnPlateau => new ReduceOnPlateauSchedule(learningRate, FeedForwardTrainerOptionsBase.Defaults.PlateauFactor, FeedForwardTrainerOptionsBase.Defaults.PlateauPatience, minimum),
            LearningRateSchedule.FlatCosine => new FlatCosineSchedule(learningRate, epochs, FeedForwardTrainerOptionsBase.Defaults.FlatCosineFlatFraction),
            _ => throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Unknown learning-rate schedule."),
        };
    }
}
