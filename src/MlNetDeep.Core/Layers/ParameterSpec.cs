namespace MlNetDeep.Layers;

/// <summary>What a tensor of a layer is, which decides how it starts and whether it is decayed.</summary>
internal enum ParameterRole
{
    /// <summary>A weight matrix <c>[out, in]</c>, drawn by the weight initializer; subject to weight decay.</summary>
    Weight,
    /// <summary>A bias, starting at <see cref="ParameterSpec.InitialValue"/> (zero unless set).</summary>
    Bias,
    /// <summary>A normalization scale γ (starts at one).</summary>
    Scale,
    /// <summary>A normalization shift β (starts at zero).</summary>
    Shift,
    /// <summary>A learned activation parameter such as the PReLU slope (starts at <see cref="ParameterSpec.InitialValue"/>).</summary>
    ActivationParameter,
    /// <summary>A running mean kept as a buffer (not learned).</summary>
    RunningMean,
    /// <summary>A running variance kept as a buffer (not learned).</summary>
    RunningVariance,
    /// <summary>A value fitted on the training rows before training (quantiles, bin edges), kept as a buffer.</summary>
    FittedStatistic,
}

/// <summary>
/// Declares one tensor a layer needs: its name in state-dict style (<c>weight</c>, <c>bias</c>,
/// <c>gamma</c>, <c>beta</c>, <c>running_mean</c>, <c>running_var</c>, <c>alpha</c>), its shape, its
/// role and its starting value. The network lays the tensors out one after another in its storage.
/// </summary>
internal sealed record ParameterSpec(string Name, int[] Shape, ParameterRole Role, float InitialValue = 0f)
{
    /// <summary>The number of values, the product of <see cref="Shape"/>.</summary>
    /// <exception cref="OverflowException">The product is beyond <see cref="int.MaxValue"/> (a network read back from corrupted data).</exception>
    public int Length
    {
        get
        {
            var length = 1;
            foreach (var dimension in Shape)
            {
                length = checked(length * dimension);
            }

            return length;
        }
    }

    /// <summary>
    /// Draws the tensor's starting values when the layer has a rule of its own (an embedding's frequencies and per-feature
    /// weights); null for the network's rules (the weight initializer for weights, <see cref="InitialValue"/> otherwise).
    /// </summary>
    public Action<Span<float>, Compute.RandomGenerator>? Initializer { get; init; }

    /// <summary>Whether L2 regularization and weight decay apply (weights only, as in Keras kernel regularizers).</summary>
    public bool IsDecayed => Role == ParameterRole.Weight;
}
