namespace MlNetDeep;

/// <summary>
/// The settings of one hidden layer, for <see cref="FeedForwardTrainerOptionsBase.Layers"/>. Settings left null
/// take the trainer-wide value (<see cref="FeedForwardTrainerOptionsBase.Activation"/>,
/// <see cref="FeedForwardTrainerOptionsBase.Normalization"/>, <see cref="FeedForwardTrainerOptionsBase.DropoutRate"/>).
/// </summary>
public sealed class FeedForwardLayerOptions
{
    /// <summary>Creates the settings of a layer of <paramref name="units"/> units; the other settings are inherited.</summary>
    /// <param name="units">The number of units (at least 1).</param>
    public FeedForwardLayerOptions(int units)
    {
        Units = units;
    }

    /// <summary>Creates empty settings; set <see cref="Units"/> before training.</summary>
    public FeedForwardLayerOptions()
    {
    }

    /// <summary>The number of units in the layer (at least 1).</summary>
    public int Units;

    /// <summary>The layer's activation, or null for <see cref="FeedForwardTrainerOptionsBase.Activation"/>.</summary>
    public Activation? Activation;

    /// <summary>The layer's normalization, or null for <see cref="FeedForwardTrainerOptionsBase.Normalization"/>.</summary>
    public Normalization? Normalization;

    /// <summary>The layer's dropout rate in [0, 1), or null for <see cref="FeedForwardTrainerOptionsBase.DropoutRate"/>.</summary>
    public float? DropoutRate;
}
