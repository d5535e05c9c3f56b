using MlNetDeep.ActivationFunctions;
using MlNetDeep.Compute;
using MlNetDeep.Layers;

namespace MlNetDeep.Initializers;

/// <summary>
/// Turns the public <see cref="WeightInitializer"/> choice into an <see cref="Initializer"/>, resolves
/// <see cref="WeightInitializer.Auto"/> per activation, and starts every tensor of a layer by its role.
/// </summary>
internal static class InitializerFactory
{
    /// <summary>The constant of <see cref="WeightInitializer.Constant"/> when no value is given, 0 (as Keras).</summary>
    public const float DefaultConstant = 0f;

    /// <summary>
    /// The initializer for <paramref name="kind"/>. <paramref name="value"/> is the constant of
    /// <see cref="WeightInitializer.Constant"/> (default <see cref="DefaultConstant"/>), the standard deviation of
    /// <see cref="WeightInitializer.RandomNormal"/> (default <see cref="RandomNormal.DefaultStandardDeviation"/>) or
    /// the limit of <see cref="WeightInitializer.RandomUniform"/> (default <see cref="RandomUniform.DefaultLimit"/>);
    /// the other kinds take no value, and giving one is an error rather than silently ignored.
    /// <see cref="WeightInitializer.Auto"/> resolves through <see cref="ForActivation"/>.
    /// </summary>
    public static Initializer Create(WeightInitializer kind, Activation activation, float? value = null)
    {
        var takesValue = kind is WeightInitializer.Constant or WeightInitializer.RandomNormal or WeightInitializer.RandomUniform;
        if (value.HasValue && !takesValue)
        {
            throw new ArgumentException($"The weight initializer {kind} takes no value; only Constant, RandomNormal and RandomUniform do. Received: value={value.Value}.", nameof(value));
        }

        return kind switch
        {
            WeightInitializer.Auto => ForActivation(activation),
            WeightInitializer.Zeros => Constant.Zeros,
            WeightInitializer.Constant => new Constant(value ?? DefaultConstant),
            WeightInitializer.RandomNormal => new RandomNormal(value ?? RandomNormal.DefaultStandardDeviation),
            WeightInitializer.RandomUniform => new RandomUniform(value ?? RandomUniform.DefaultLimit),
            WeightInitializer.XavierUniform => VarianceScaling.XavierUniform(),
            WeightInitializer.XavierNormal => VarianceScaling.XavierNormal(),
            WeightInitializer.HeUniform => VarianceScaling.HeUniform(),
            WeightInitializer.HeNormal => VarianceScaling.HeNormal(),
            WeightInitializer.LeCunUniform => VarianceScaling.LeCunUniform(),
            WeightInitializer.LeCunNormal => VarianceScaling.LeCunNormal(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), $"Unknown weight initializer. Received: {kind}."),
        };
    }

    /// <summary>
    /// The <see cref="WeightInitializer.Auto"/> choice for the activation that follows the weights, as its
    /// <see cref="ActivationRegistry"/> entry gives it (<see cref="ActivationEntry.AutoInitializer"/>).
    /// </summary>
    public static WeightInitializer AutoChoice(Activation activation) => ActivationRegistry.Get(activation).AutoInitializer;

    /// <summary>The initializer <see cref="AutoChoice"/> names for <paramref name="activation"/>.</summary>
    public static Initializer ForActivation(Activation activation) => Create(AutoChoice(activation), activation);

    /// <summary>
    /// Starts one tensor of a layer: a <see cref="ParameterRole.Weight"/> is drawn by <paramref name="weights"/>
    /// from its shape; every other role (bias, scale, shift, activation parameter, running statistics) is set to
    /// the spec's <see cref="ParameterSpec.InitialValue"/>, so biases start at zero unless the layer set otherwise.
    /// </summary>
    public static void Initialize(ParameterSpec spec, Span<float> values, Initializer weights, RandomGenerator random)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(random);
        if (spec.Role == ParameterRole.Weight)
        {
            weights.Initialize(values, spec.Shape, random);
            return;
        }

        if (values.Length != spec.Length)
        {
            throw new ArgumentException($"The tensor '{spec.Name}' has {spec.Length} values, but {values.Length} were given.", nameof(values));
        }

        values.Fill(spec.InitialValue);
    }
}
