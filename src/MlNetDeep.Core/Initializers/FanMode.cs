namespace MlNetDeep.Initializers;

/// <summary>Which fan a <see cref="VarianceScaling"/> initializer divides its scale by.</summary>
internal enum FanMode
{
    /// <summary>The number of inputs of a unit, <c>in</c> of a weight <c>[out, in]</c> (keeps forward variance).</summary>
    FanIn,
    /// <summary>The number of outputs, <c>out</c> of a weight <c>[out, in]</c> (keeps backward variance).</summary>
    FanOut,
    /// <summary>The average <c>(in + out) / 2</c> (Glorot's compromise).</summary>
    FanAverage,
}
