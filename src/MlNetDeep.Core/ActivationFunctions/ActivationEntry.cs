using MlNetDeep.Layers;

namespace MlNetDeep.ActivationFunctions;

/// <summary>How training diagnostics decide that a unit of an activation has died.</summary>
internal enum DeadUnitRule
{
    /// <summary>The activation has no dead state (linear and saturating ones).</summary>
    None,

    /// <summary>A unit is dead when its output never rose above zero in the epoch (ReLU, ThresholdedReLU: the output is exactly zero there).</summary>
    Output,

    /// <summary>A unit is dead when its pre-activation never rose above zero in the epoch (the leaky and smooth rectifiers, whose output is not zero there).</summary>
    PreActivation,
}

/// <summary>
/// Everything the engine knows about one <see cref="Activation"/>, in one place (see <see cref="ActivationRegistry"/>):
/// how to create it, the weight initializer <see cref="WeightInitializer.Auto"/> picks for the weights before it, how
/// diagnostics judge its units, and which dropout keeps its statistics.
/// </summary>
/// <param name="Kind">The activation described.</param>
/// <param name="Function">
/// Creates the elementwise function (forward and derivative) with its optional parameters read from the settings; null
/// for a parametric activation, which is a layer with learnable values of its own.
/// </param>
/// <param name="ParametricLayer">
/// Creates the layer of a parametric activation for a number of units (PReLU learns one slope per unit); null for the
/// elementwise ones.
/// </param>
/// <param name="AutoInitializer">The initializer <see cref="WeightInitializer.Auto"/> resolves to for the weights feeding this activation.</param>
/// <param name="DeadUnits">How diagnostics decide a unit is dead.</param>
/// <param name="Saturation">
/// The asymptotes <c>(Lower, Upper)</c> of a saturating activation: diagnostics count an output within the saturation
/// margin of either as saturated; null when the activation does not saturate on both sides.
/// </param>
/// <param name="SelfNormalizing">
/// Whether the activation keeps its outputs at zero mean and unit variance by itself (SELU): its dropout is then alpha
/// dropout, which preserves those statistics, instead of ordinary dropout.
/// </param>
internal sealed record ActivationEntry(
    Activation Kind,
    Func<ActivationSettings, ActivationFunction>? Function,
    Func<int, Layer>? ParametricLayer,
    WeightInitializer AutoInitializer,
    DeadUnitRule DeadUnits,
    (float Lower, float Upper)? Saturation = null,
    bool SelfNormalizing = false)
{
    /// <summary>Whether the activation learns parameters of its own, and so is a layer rather than an elementwise function.</summary>
    public bool IsParametric => ParametricLayer is not null;

    /// <summary>
    /// The layer applying this activation to rows of <paramref name="units"/> values: the parametric layer, or an
    /// <see cref="ActivationLayer"/> around the function created with <paramref name="settings"/>.
    /// </summary>
    public Layer CreateLayer(int units, ActivationSettings settings)
        => ParametricLayer is { } layer ? layer(units) : new ActivationLayer(units, Function!(settings));

    /// <summary>The dropout layer for rows of <paramref name="units"/> values after this activation.</summary>
    public Layer CreateDropout(int units, float rate)
        => SelfNormalizing ? new AlphaDropout(units, rate) : new Dropout(units, rate);
}
