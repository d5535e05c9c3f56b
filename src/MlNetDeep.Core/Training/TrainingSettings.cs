namespace MlNetDeep.Training;

/// <summary>
/// How a network is trained: optimizer, batch size, epochs, validation and early stopping. The shared defaults come
/// from <see cref="TrainingDefaults"/>. A record, so a copy with a few values changed is one <c>with</c> expression.
/// </summary>
public sealed record TrainingSettings
{
    /// <summary>The update rule.</summary>
    public Optimizer Optimizer { get; init; } = TrainingDefaults.Optimizer;

    /// <summary>The base learning rate (before any schedule).</summary>
    public float LearningRate { get; init; } = TrainingDefaults.LearningRate;

    /// <summary>SGD momentum (0 for plain SGD).</summary>
    public float Momentum { get; init; } = TrainingDefaults.Momentum;

    /// <summary>Whether SGD momentum is Nesterov's.</summary>
    public bool Nesterov { get; init; } = TrainingDefaults.Nesterov;

    /// <summary>
    /// The exponential decay rate β₁ of the first-moment (gradient mean) estimate of <see cref="Optimizer.Adam"/> and
    /// <see cref="Optimizer.AdamW"/>, in [0, 1); the other optimizers ignore it.
    /// </summary>
    public float Beta1 { get; init; } = TrainingDefaults.Beta1;

    /// <summary>
    /// The exponential decay rate β₂ of the second-moment (squared gradient) estimate of <see cref="Optimizer.Adam"/>
    /// and <see cref="Optimizer.AdamW"/>, in [0, 1); the other optimizers ignore it.
    /// </summary>
    public float Beta2 { get; init; } = TrainingDefaults.Beta2;

    /// <summary>L2 regularization of the weights (decoupled weight decay for AdamW).</summary>
    public float L2Regularization { get; init; } = TrainingDefaults.L2Regularization;

    /// <summary>
    /// Rows per mini-batch at most; null picks <see cref="AutomaticBatchSize"/> from the number of training rows. An epoch of
    /// N rows is ⌈N / BatchSize⌉ batches whose sizes differ by at most one row.
    /// </summary>
    public int? BatchSize { get; init; }

    /// <summary>The most epochs to run.</summary>
    public int NumberOfEpochs { get; init; } = TrainingDefaults.NumberOfEpochs;

    /// <summary>Epochs without validation improvement before stopping; 0 turns early stopping off.</summary>
    public int EarlyStoppingPatience { get; init; } = TrainingDefaults.EarlyStoppingPatience;

    /// <summary>What early stopping watches to keep the best epoch and to stop.</summary>
    public EarlyStoppingMonitor EarlyStoppingMonitor { get; init; } = TrainingDefaults.EarlyStoppingMonitor;

    /// <summary>The share of rows held out for validation (stratified for classification), in [0, 1).</summary>
    public float ValidationFraction { get; init; } = TrainingDefaults.ValidationFraction;

    /// <summary>Changes the learning rate per epoch; null keeps it constant.</summary>
    public LearningRateScheduler? Schedule { get; init; }

    /// <summary>Clips the global gradient norm to this value; 0 turns clipping off.</summary>
    public float GradientClipNorm { get; init; } = TrainingDefaults.GradientClipNorm;

    /// <summary>Huber loss with this delta for regression instead of mean squared error; 0 keeps MSE.</summary>
    public float HuberDelta { get; init; }

    /// <summary>
    /// Label smoothing ε of classification, in [0, 1): multiclass networks train on the cross-entropy against the target
    /// <c>(1 − ε)·onehot(label) + ε/classes</c>, binary networks on the target <c>y·(1 − ε) + ε/2</c>. The validation loss
    /// (early stopping, <see cref="ReduceOnPlateauSchedule"/>) is the same smoothed loss, as in Keras; the validation
    /// metric (accuracy) is not affected. 0, the default, is plain cross-entropy; a regression network rejects any other value.
    /// </summary>
    public float LabelSmoothing { get; init; } = TrainingDefaults.LabelSmoothing;

    /// <summary>
    /// Fit the input scaling on the training rows and store it in the model: every feature's mean and standard deviation,
    /// or its largest absolute value for <see cref="InputTransform.MaxAbs"/>. False leaves the features as they are.
    /// </summary>
    public bool StandardizeFeatures { get; init; } = true;

    /// <summary>After training, replace batch-norm running statistics by population statistics over the training rows.</summary>
    public bool UsePopulationStatistics { get; init; } = TrainingDefaults.UsePopulationStatistics;

    /// <summary>The seed of weights, shuffling, dropout and the validation split.</summary>
    public long Seed { get; init; }

    /// <summary>Threads for the kernels.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// Per-layer diagnostics (activation and gradient statistics per epoch and hidden block, returned in
    /// <see cref="TrainingResult.Diagnostics"/>); null, the default, collects none and costs nothing.
    /// </summary>
    public Diagnostics.DiagnosticsSettings? Diagnostics { get; init; }

    /// <summary>
    /// Stops training when signalled: checked before every mini-batch (and every batch of the validation and
    /// population-statistics passes), so training throws <see cref="OperationCanceledException"/> within one batch.
    /// </summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Called where <see cref="CancellationToken"/> is checked (before every mini-batch); it stops training by throwing
    /// <see cref="OperationCanceledException"/>. It lets a host with its own cancellation (ML.NET's
    /// <c>IHost.CheckAlive</c>) stop training. Null, the default, checks only the token.
    /// </summary>
    public Action? CheckCancellation { get; init; }

    /// <summary>Throws <see cref="OperationCanceledException"/> when <see cref="CancellationToken"/> or <see cref="CheckCancellation"/> says training must stop.</summary>
    internal void ThrowIfCancelled()
    {
        CancellationToken.ThrowIfCancellationRequested();
        CheckCancellation?.Invoke();
    }

    /// <summary>
    /// The batch size used when none is set: the power of two nearest below <c>trainingRows / 50</c>, kept within
    /// [32, 256]. Small data sets get 32 rows per batch (enough updates per epoch for early stopping to judge), large
    /// ones 256 (fewer, cheaper steps per epoch).
    /// </summary>
    public static int AutomaticBatchSize(int trainingRows)
    {
        var target = Math.Max(1, trainingRows / 50);
        return Math.Clamp(1 << (31 - System.Numerics.BitOperations.LeadingZeroCount((uint)target)), 32, 256);
    }

    /// <summary>Checks every value and throws an <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate))
        {
            throw new ArgumentException($"LearningRate must be positive. Received: LearningRate={LearningRate}.");
        }

        if (BatchSize is < 1)
        {
            throw new ArgumentException($"BatchSize must be at least 1. Received: BatchSize={BatchSize}.");
        }

        if (NumberOfEpochs < 1)
        {
            throw new ArgumentException($"NumberOfEpochs must be at least 1. Received: NumberOfEpochs={NumberOfEpochs}.");
        }

        if (!Enum.IsDefined(EarlyStoppingMonitor))
        {
            throw new ArgumentException($"Unknown early-stopping monitor. Received: EarlyStoppingMonitor={EarlyStoppingMonitor}.");
        }

        if (EarlyStoppingPatience < 0)
        {
            throw new ArgumentException($"EarlyStoppingPatience must be 0 (off) or more. Received: EarlyStoppingPatience={EarlyStoppingPatience}.");
        }

        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
        {
            throw new ArgumentException($"ValidationFraction must be in [0, 1). Received: ValidationFraction={ValidationFraction}.");
        }

        if (!(Momentum >= 0 && Momentum < 1))
        {
            throw new ArgumentException($"Momentum must be in [0, 1). Received: Momentum={Momentum}.");
        }

        if (!(Beta1 >= 0 && Beta1 < 1))
        {
            throw new ArgumentException($"Beta1 must be in [0, 1). Received: Beta1={Beta1}.");
        }

        if (!(Beta2 >= 0 && Beta2 < 1))
        {
            throw new ArgumentException($"Beta2 must be in [0, 1). Received: Beta2={Beta2}.");
        }

        if (!(L2Regularization >= 0) || !float.IsFinite(L2Regularization))
        {
            throw new ArgumentException($"L2Regularization must be 0 or more. Received: L2Regularization={L2Regularization}.");
        }

        if (!(GradientClipNorm >= 0) || !float.IsFinite(GradientClipNorm))
        {
            throw new ArgumentException($"GradientClipNorm must be 0 (off) or positive. Received: GradientClipNorm={GradientClipNorm}.");
        }

        if (!(HuberDelta >= 0) || !float.IsFinite(HuberDelta))
        {
            throw new ArgumentException($"HuberDelta must be 0 (MSE) or positive. Received: HuberDelta={HuberDelta}.");
        }

        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
        {
            throw new ArgumentException($"LabelSmoothing must be in [0, 1). Received: LabelSmoothing={LabelSmoothing}.");
        }

        if (Threads < 1)
        {
            throw new ArgumentException($"Threads must be at least 1. Received: Threads={Threads}.");
        }

        Diagnostics?.Validate();
    }
}
