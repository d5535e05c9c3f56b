namespace MlNetDeep.Training;

/// <summary>One hidden block: Dense → optional normalization → activation → optional dropout.</summary>
/// <param name="Units">Output units of the block's dense layer (at least 1).</param>
/// <param name="Activation">The block's activation.</param>
/// <param name="Normalization">Normalization between the dense layer and the activation.</param>
/// <param name="DropoutRate">Dropout after the activation, in [0, 1); SELU blocks use alpha dropout.</param>
public sealed record HiddenLayerSpec(int Units, Activation Activation, Normalization Normalization, float DropoutRate);

/// <summary>
/// The architecture of a sequential network: everything needed to rebuild it, apart from the values
/// of its parameters and buffers.
/// </summary>
public sealed class NetworkSpec
{
    /// <summary>Features per input row.</summary>
    public required int InputSize { get; init; }

    /// <summary>What the network predicts.</summary>
    public required TaskKind Task { get; init; }

    /// <summary>Classes for <see cref="TaskKind.Multiclass"/>; ignored otherwise.</summary>
    public int ClassCount { get; init; }

    /// <summary>The hidden blocks, input side first.</summary>
    public required IReadOnlyList<HiddenLayerSpec> HiddenLayers { get; init; }

    /// <summary>Dropout applied to the input features in training, in [0, 1).</summary>
    public float InputDropoutRate { get; init; }

    /// <summary>How dense weights are drawn.</summary>
    public WeightInitializer WeightInitializer { get; init; } = WeightInitializer.Auto;

    /// <summary>The value for <see cref="MlNetDeep.WeightInitializer.Constant"/>, the standard deviation for
    /// <see cref="MlNetDeep.WeightInitializer.RandomNormal"/>, the limit for <see cref="MlNetDeep.WeightInitializer.RandomUniform"/>;
    /// null takes the initializer's default.</summary>
    public float? WeightInitializerValue { get; init; }

    /// <summary>The slope of the hard sigmoid (1/6 by default; 0.2 is the Keras 2 form).</summary>
    public float HardSigmoidSlope { get; init; } = 1f / 6f;

    /// <summary>Whether GELU uses the tanh approximation instead of the exact error function.</summary>
    public bool GeluApproximateTanh { get; init; }

    /// <summary>How each raw feature is mapped before the first layer (fitted on the training rows).</summary>
    public InputTransform InputTransform { get; init; } = TrainingDefaults.InputTransform;

    /// <summary>How each transformed feature is embedded before the first hidden layer.</summary>
    public NumericEmbedding NumericEmbedding { get; init; } = TrainingDefaults.NumericEmbedding;

    /// <summary>Values per feature of the numeric embedding (at least 1); ignored without one.</summary>
    public int EmbeddingDimension { get; init; } = TrainingDefaults.EmbeddingDimension;

    /// <summary>Frequencies per feature of the periodic embeddings (at least 1); ignored by the others.</summary>
    public int EmbeddingFrequencies { get; init; } = TrainingDefaults.EmbeddingFrequencies;

    /// <summary>Standard deviation σ (greater than 0) of the periodic embeddings' initial frequencies; ignored by the others.</summary>
    public float EmbeddingFrequencyScale { get; init; } = TrainingDefaults.EmbeddingFrequencyScale;

    /// <summary>Quantile bins per feature of the piecewise-linear embedding (at least 2); ignored by the others.</summary>
    public int EmbeddingBins { get; init; } = TrainingDefaults.EmbeddingBins;

    /// <summary>
    /// Members of a parameter-efficient ensemble (BatchEnsemble, as in TabM): 1 is a single network; k &gt; 1 runs k members
    /// that share every weight matrix, each with its own input and output scales and biases and its own output layer.
    /// Training minimizes the mean of the members' losses; the prediction is the mean of their probabilities (classification)
    /// or values (regression).
    /// </summary>
    public int EnsembleSize { get; init; } = TrainingDefaults.EnsembleSize;

    /// <summary>Values per row that the first hidden layer reads: the input size, times the embedding dimension when there is an embedding.</summary>
    public int EmbeddedSize => NumericEmbedding == NumericEmbedding.None ? InputSize : InputSize * EmbeddingDimension;

    /// <summary>Values the last layer writes per row: <see cref="OutputSize"/> for each member of the ensemble.</summary>
    internal int RawOutputSize => OutputSize * EnsembleSize;

    /// <summary>Units of the output layer: the class count for multiclass, 1 otherwise.</summary>
    public int OutputSize => Task == TaskKind.Multiclass ? ClassCount : 1;

    /// <summary>
    /// Whether sparse rows can go straight into the network's first layer, a dense layer (see
    /// <see cref="ISparseBatchSource"/>): <see cref="InputTransform"/> <see cref="InputTransform.Standardize"/> or
    /// <see cref="InputTransform.MaxAbs"/>, no <see cref="NumericEmbedding"/>, an <see cref="EnsembleSize"/> of 1 and no
    /// <see cref="InputDropoutRate"/>.
    /// </summary>
    public bool TakesSparseRows => SparseRowsConflicts().Count == 0;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the settings that keep sparse rows out of the first dense layer, unless <see cref="TakesSparseRows"/>.</summary>
    public void ValidateSparseRows()
    {
        var conflicts = SparseRowsConflicts();
        if (conflicts.Count > 0)
        {
            throw new ArgumentException(
                $"Sparse rows go straight into the network's first dense layer, which needs InputTransform Standardize or MaxAbs, NumericEmbedding None, EnsembleSize 1 and InputDropoutRate 0; densify the rows to train with the others. Received: {string.Join(", ", conflicts)}.");
        }
    }

    private List<string> SparseRowsConflicts()
    {
        var conflicts = new List<string>();
        if (InputTransform is not (InputTransform.Standardize or InputTransform.MaxAbs))
        {
            conflicts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"InputTransform={InputTransform}"));
        }

        if (NumericEmbedding != NumericEmbedding.None)
        {
            conflicts.Add($"NumericEmbedding={NumericEmbedding}");
        }

        if (EnsembleSize != 1)
        {
            conflicts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"EnsembleSize={EnsembleSize}"));
        }

        if (InputDropoutRate != 0)
        {
            conflicts.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"InputDropoutRate={InputDropoutRate}"));
        }

        return conflicts;
    }

    /// <summary>Checks every value and throws an <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (InputSize < 1)
        {
            throw new ArgumentException($"The network needs at least one input feature. Received: InputSize={InputSize}.");
        }

        if (Task == TaskKind.Multiclass && ClassCount < 2)
        {
            throw new ArgumentException($"A multiclass network needs at least 2 classes. Received: ClassCount={ClassCount}.");
        }

        if (!(InputDropoutRate >= 0 && InputDropoutRate < 1))
        {
            throw new ArgumentException($"The input dropout rate must be in [0, 1). Received: InputDropoutRate={InputDropoutRate}.");
        }

        if (EnsembleSize < 1 || EnsembleSize > 1024)
        {
            throw new ArgumentException($"The ensemble needs between 1 and 1024 members. Received: EnsembleSize={EnsembleSize}.");
        }

        if (!Enum.IsDefined(InputTransform))
        {
            throw new ArgumentException($"Unknown input transform. Received: InputTransform={InputTransform}.");
        }

        if (!Enum.IsDefined(NumericEmbedding))
        {
            throw new ArgumentException($"Unknown numeric embedding. Received: NumericEmbedding={NumericEmbedding}.");
        }

        if (NumericEmbedding != NumericEmbedding.None)
        {
            if (EmbeddingDimension < 1)
            {
                throw new ArgumentException($"The embedding needs at least one value per feature. Received: EmbeddingDimension={EmbeddingDimension}.");
            }

            if ((long)InputSize * EmbeddingDimension > int.MaxValue / 64)
            {
                throw new ArgumentException($"The embedded input ({InputSize} features × {EmbeddingDimension}) is too large. Received: EmbeddingDimension={EmbeddingDimension}.");
            }

            if (NumericEmbedding is NumericEmbedding.Periodic or NumericEmbedding.PeriodicLite)
            {
                if (EmbeddingFrequencies < 1)
                {
                    throw new ArgumentException($"The periodic embedding needs at least one frequency. Received: EmbeddingFrequencies={EmbeddingFrequencies}.");
                }

                if (!(EmbeddingFrequencyScale > 0) || !float.IsFinite(EmbeddingFrequencyScale))
                {
                    throw new ArgumentException($"The standard deviation of the initial frequencies must be positive and finite. Received: EmbeddingFrequencyScale={EmbeddingFrequencyScale}.");
                }
            }

            if (NumericEmbedding == NumericEmbedding.PiecewiseLinear && EmbeddingBins < 2)
            {
                throw new ArgumentException($"The piecewise-linear embedding needs at least 2 bins. Received: EmbeddingBins={EmbeddingBins}.");
            }
        }

        for (var i = 0; i < HiddenLayers.Count; i++)
        {
            var layer = HiddenLayers[i] ?? throw new ArgumentException($"Hidden layer {i} is null.");
            if (layer.Units < 1)
            {
                throw new ArgumentException($"Hidden layer {i} must have at least one unit. Received: Units={layer.Units}.");
            }

            if (!(layer.DropoutRate >= 0 && layer.DropoutRate < 1))
            {
                throw new ArgumentException($"The dropout rate of hidden layer {i} must be in [0, 1). Received: DropoutRate={layer.DropoutRate}.");
            }

            if (!Enum.IsDefined(layer.Activation) || !Enum.IsDefined(layer.Normalization))
            {
                throw new ArgumentException($"Hidden layer {i} has an unknown activation or normalization ({layer.Activation}, {layer.Normalization}).");
            }
        }
    }
}
