using MlNetDeep.Compute;

namespace MlNetDeep.Initializers;

/// <summary>Sets every value to one constant; <see cref="Zeros"/> is the constant zero.</summary>
internal sealed class Constant : Initializer
{
    /// <summary>Creates the initializer; <paramref name="value"/> must be finite.</summary>
    public Constant(float value)
    {
        if (!float.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"The constant must be finite. Received: value={value}.");
        }

        Value = value;
    }

    /// <summary>All zeros (every unit of a layer stays identical: a teaching case, not a training choice).</summary>
    public static Constant Zeros { get; } = new(0f);

    /// <summary>The value written.</summary>
    public float Value { get; }

    /// <inheritdoc/>
    protected override void Fill(Span<float> values, int fanIn, int fanOut, RandomGenerator random) => values.Fill(Value);
}
