using MlNetDeep.Compute;

namespace MlNetDeep.Initializers;

/// <summary>Draws from U(−limit, limit) with a fixed limit, whatever the fans.</summary>
internal sealed class RandomUniform : Initializer
{
    /// <summary>The default limit, 0.05.</summary>
    public const float DefaultLimit = 0.05f;

    /// <summary>Creates the initializer; <paramref name="limit"/> must be positive and finite.</summary>
    public RandomUniform(float limit = DefaultLimit)
    {
        if (!(limit > 0) || !float.IsFinite(limit))
        {
            throw new ArgumentOutOfRangeException(nameof(limit), $"The uniform limit must be positive and finite. Received: limit={limit}.");
        }

        Limit = limit;
    }

    /// <summary>The half-width of the interval drawn from.</summary>
    public float Limit { get; }

    /// <inheritdoc/>
    protected override void Fill(Span<float> values, int fanIn, int fanOut, RandomGenerator random) => FillUniform(values, Limit, random);
}
