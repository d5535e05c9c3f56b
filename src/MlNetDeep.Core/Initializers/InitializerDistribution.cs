namespace MlNetDeep.Initializers;

/// <summary>The distribution a <see cref="VarianceScaling"/> initializer draws from; each has mean zero and the target variance.</summary>
internal enum InitializerDistribution
{
    /// <summary>A normal with standard deviation <c>√variance</c>.</summary>
    Normal,
    /// <summary>
    /// A normal truncated at two standard deviations, its scale parameter divided by 0.8796… (the standard
    /// deviation of a standard normal truncated to [−2, 2]) so the drawn values still have the target variance.
    /// </summary>
    TruncatedNormal,
    /// <summary>A uniform on <c>[−limit, limit]</c> with <c>limit = √(3·variance)</c>.</summary>
    Uniform,
}
