using MlNetDeep.Compute;

namespace MlNetDeep.Initializers;

/// <summary>Draws from N(0, std²) with a fixed standard deviation, whatever the fans.</summary>
internal sealed class RandomNormal : Initializer
{
    /// <summary>The default standard deviation, 0.01.</summary>
    public const float DefaultStandardDeviation = 0.01f;

    /// <summary>Creates the initializer; <paramref name="standardDeviation"/> must be positive and finite.</summary>
    public RandomNormal(float standardDeviation = DefaultStandardDeviation)
    {
        if (!(standardDeviation > 0) || !float.IsFinite(standardDeviation))
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), $"The standard deviation must be positive and finite. Received: std={standardDeviation}.");
        }

        StandardDeviation = standardDeviation;
    }

    /// <summary>The standard deviation drawn with.</summary>
    public float StandardDeviation { get; }

    /// <inheritdoc/>
    protected override void Fill(Span<float> values, int fanIn, int fanOut, RandomGenerator random) => FillNormal(values, StandardDeviation, random);
}
