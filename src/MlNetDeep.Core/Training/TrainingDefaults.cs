namespace MlNetDeep.Training;

/// <summary>
/// The default of every training setting that the engine's <see cref="TrainingSettings"/> and the trainers' public
/// options share, declared once: <see cref="TrainingSettings"/> starts from these values and the public
/// <c>FeedForwardTrainerOptionsBase.Defaults</c> are these constants, so the engine and the options cannot disagree.
/// </summary>
public static class TrainingDefaults
{
    /// <summary>The default update rule.</summary>
    public const Optimizer Optimizer = MlNetDeep.Optimizer.Adam;

    /// <summary>The default base learning rate.</summary>
    public const float LearningRate = 3e-3f;

    /// <summary>The default momentum of SGD and RMSProp.</summary>
    public const float Momentum = 0.9f;

    /// <summary>Whether SGD uses Nesterov momentum by default.</summary>
    public const bool Nesterov = false;

    /// <summary>The default first-moment decay β₁ of Adam and AdamW (PyTorch's and Keras's).</summary>
    public const float Beta1 = 0.9f;

    /// <summary>The default second-moment decay β₂ of Adam and AdamW (PyTorch's and Keras's).</summary>
    public const float Beta2 = 0.999f;

    /// <summary>The default label smoothing of classification (none).</summary>
    public const float LabelSmoothing = 0f;

    /// <summary>The default L2 penalty (none).</summary>
    public const float L2Regularization = 0f;

    /// <summary>The default largest number of epochs.</summary>
    public const int NumberOfEpochs = 100;

    /// <summary>The default number of epochs without improvement before early stopping.</summary>
    public const int EarlyStoppingPatience = 10;

    /// <summary>What early stopping watches by default.</summary>
    public const EarlyStoppingMonitor EarlyStoppingMonitor = MlNetDeep.EarlyStoppingMonitor.ValidationLoss;

    /// <summary>The default share of rows held out for validation.</summary>
    public const float ValidationFraction = 0.1f;

    /// <summary>The default gradient clipping (off).</summary>
    public const float GradientClipNorm = 0f;

    /// <summary>Whether batch normalization's statistics are replaced by population statistics by default.</summary>
    public const bool UsePopulationStatistics = false;

    /// <summary>The default number of ensemble members (a single network).</summary>
    public const int EnsembleSize = 1;

    /// <summary>The default input transform.</summary>
    public const InputTransform InputTransform = MlNetDeep.InputTransform.Standardize;

    /// <summary>The default numeric embedding (none).</summary>
    public const NumericEmbedding NumericEmbedding = MlNetDeep.NumericEmbedding.None;

    /// <summary>The default length of each feature's embedding.</summary>
    public const int EmbeddingDimension = 16;

    /// <summary>The default number of frequencies per feature of the periodic embeddings.</summary>
    public const int EmbeddingFrequencies = 16;

    /// <summary>The default standard deviation σ of the periodic embeddings' initial frequencies.</summary>
    public const float EmbeddingFrequencyScale = 0.1f;

    /// <summary>The default number of quantile bins per feature of the piecewise-linear embedding.</summary>
    public const int EmbeddingBins = 32;

    /// <summary>
    /// The largest share of non-zero feature values for which sparse rows are kept sparse: one in 16. A scorer reads a
    /// batch of sparse rows over its non-zeros only up to this share and densifies denser batches, and the trainers'
    /// <c>DataLoading.Auto</c> trains sparse rows sparse up to it. The products over the non-zeros gather one weight per
    /// non-zero and unit, each from a cache line of its own (16 floats), so beyond one value in 16 the dense product,
    /// which reads every weight once, reads less.
    /// </summary>
    public const double MaxSparseDensity = 1.0 / 16;
}
