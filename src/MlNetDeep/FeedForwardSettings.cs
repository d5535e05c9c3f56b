using MlNetDeep.Diagnostics;
using MlNetDeep.Training;

namespace MlNetDeep;

/// <summary>
/// A snapshot of a trainer's <see cref="FeedForwardTrainerOptionsBase"/>, taken (and checked) when the trainer is
/// created, translated into the engine's <see cref="NetworkSpec"/> and <see cref="TrainingSettings"/>. Changing the
/// options object afterwards does not change the trainer.
/// </summary>
internal sealed class FeedForwardSettings
{
    private readonly HiddenLayerSpec[] _hiddenLayers;
    private readonly float _inputDropoutRate;
    private readonly WeightInitializer _weightInitializer;
    private readonly float? _weightInitializerValue;
    private readonly Optimizer _optimizer;
    private readonly float _learningRate;
    private readonly float _momentum;
    private readonly bool _nesterov;
    private readonly float _l2Regularization;
    private readonly int? _batchSize;
    private readonly int _numberOfEpochs;
    private readonly int _earlyStoppingPatience;
    private readonly float _validationFraction;
    private readonly LearningRateSchedule _schedule;
    private readonly float _gradientClipNorm;
    private readonly float _huberDelta;
    private readonly bool _usePopulationStatistics;
    private readonly bool _diagnostics;

    /// <summary>Checks <paramref name="options"/> and copies what training needs.</summary>
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
        _optimizer = options.Optimizer;
        _learningRate = options.LearningRate;
        _momentum = options.Momentum;
        _nesterov = options.Nesterov;
        _l2Regularization = options.L2Regularization;
        _batchSize = options.BatchSize;
        _numberOfEpochs = options.NumberOfEpochs;
        _earlyStoppingPatience = options.EarlyStoppingPatience;
        _validationFraction = options.ValidationFraction;
        _schedule = options.LearningRateSchedule;
        _gradientClipNorm = options.GradientClipNorm;
        _huberDelta = options.EngineHuberDelta;
        _usePopulationStatistics = options.UsePopulationStatistics;
        _diagnostics = options.Diagnostics;
        MonteCarloDropoutPasses = options.MonteCarloDropoutPasses;
        Seed = options.Seed;
        Threads = options.NumberOfThreads;
        LabelColumnName = options.LabelColumnName;
        FeatureColumnName = options.FeatureColumnName;
        ExampleWeightColumnName = options.ExampleWeightColumnName;
        Progress = options.Progress;
        CancellationToken = options.CancellationToken;
    }

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
    public CancellationToken CancellationToken { get; }

    /// <summary>The network architecture for <paramref name="inputSize"/> features and the given task.</summary>
    public NetworkSpec CreateSpec(int inputSize, TaskKind task, int classCount) => new()
    {
        InputSize = inputSize,
        Task = task,
        ClassCount = task == TaskKind.Multiclass ? classCount : 0,
        HiddenLayers = _hiddenLayers,
        InputDropoutRate = _inputDropoutRate,
        WeightInitializer = _weightInitializer,
        WeightInitializerValue = _weightInitializerValue,
    };

    /// <summary>
    /// The engine's training settings with the resolved <paramref name="seed"/> and <paramref name="threads"/>;
    /// training stops when <see cref="CancellationToken"/> is cancelled or <paramref name="checkCancellation"/> throws.
    /// </summary>
    public TrainingSettings CreateTrainingSettings(long seed, int threads, Action? checkCancellation = null) => new()
    {
        Optimizer = _optimizer,
        LearningRate = _learningRate,
        Momentum = _momentum,
        Nesterov = _nesterov,
        L2Regularization = _l2Regularization,
        BatchSize = _batchSize,
        NumberOfEpochs = _numberOfEpochs,
        EarlyStoppingPatience = _earlyStoppingPatience,
        ValidationFraction = _validationFraction,
        Schedule = CreateSchedule(),
        GradientClipNorm = _gradientClipNorm,
        HuberDelta = _huberDelta,
        UsePopulationStatistics = _usePopulationStatistics,
        Diagnostics = _diagnostics ? new DiagnosticsSettings() : null,
        Seed = seed,
        Threads = threads,
        CancellationToken = CancellationToken,
        CheckCancellation = checkCancellation,
    };

    /// <summary>A fresh scheduler (schedulers keep state) for <see cref="LearningRateSchedule"/>, with the constants of <see cref="FeedForwardTrainerOptionsBase.Defaults"/>.</summary>
    private LearningRateScheduler CreateSchedule()
    {
        var minimum = _learningRate * FeedForwardTrainerOptionsBase.Defaults.MinimumLearningRateFraction;
        return _schedule switch
        {
            LearningRateSchedule.Constant => new ConstantSchedule(_learningRate),
            LearningRateSchedule.StepDecay => new StepDecaySchedule(_learningRate, FeedForwardTrainerOptionsBase.Defaults.StepDecayFactor, FeedForwardTrainerOptionsBase.Defaults.StepDecayEpochs),
            LearningRateSchedule.ExponentialDecay => new ExponentialDecaySchedule(_learningRate, FeedForwardTrainerOptionsBase.Defaults.ExponentialDecayGamma),
            LearningRateSchedule.CosineAnnealing => new CosineAnnealingSchedule(_learningRate, _numberOfEpochs, minimum),
            LearningRateSchedule.ReduceOnPlateau => new ReduceOnPlateauSchedule(_learningRate, FeedForwardTrainerOptionsBase.Defaults.PlateauFactor, FeedForwardTrainerOptionsBase.Defaults.PlateauPatience, minimum),
            _ => throw new ArgumentOutOfRangeException(nameof(_schedule), _schedule, "Unknown learning-rate schedule."),
        };
    }
}
