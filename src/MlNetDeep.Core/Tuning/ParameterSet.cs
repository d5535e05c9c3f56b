using System.Globalization;

namespace MlNetDeep.Tuning;

/// <summary>
/// One point of a <see cref="SearchSpace"/>: a value for every active parameter, in the space's order. Float
/// parameters hold a <see cref="double"/>, int parameters an <see cref="int"/>, choices a <see cref="string"/>;
/// inactive conditional parameters are absent (test with <see cref="Contains(string)"/> or
/// <see cref="TryGet(string, out object?)"/>). Two sets are equal when they hold the same names and values.
/// </summary>
public sealed class ParameterSet : IEquatable<ParameterSet>
{
    private readonly string[] _names;
    private readonly object[] _values;

    internal ParameterSet(IReadOnlyList<string> names, IReadOnlyList<object> values)
    {
        _names = [.. names];
        _values = [.. values];
    }

    /// <summary>The number of active parameters.</summary>
    public int Count => _names.Length;

    /// <summary>The names of the active parameters, in the search space's order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Whether the parameter <paramref name="name"/> is present (a conditional parameter is absent when its condition fails).</summary>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>Gets the value of <paramref name="name"/> (a boxed double, int or string) when it is present.</summary>
    /// <returns><see langword="true"/> when the parameter is present.</returns>
    public bool TryGet(string name, out object? value)
    {
        var index = IndexOf(name);
        value = index >= 0 ? _values[index] : null;
        return index >= 0;
    }

    /// <summary>The value of a float parameter, or of an int parameter converted to <see cref="double"/>.</summary>
    /// <exception cref="KeyNotFoundException">The parameter is absent.</exception>
    /// <exception cref="InvalidCastException">The parameter is a choice.</exception>
    public double GetDouble(string name) => Get(name) switch
    {
        double d => d,
        int n => n,
        var other => throw new InvalidCastException($"Parameter '{name}' holds the choice '{other}', not a number; use GetString."),
    };

    /// <summary>The value of an int parameter.</summary>
    /// <exception cref="KeyNotFoundException">The parameter is absent.</exception>
    /// <exception cref="InvalidCastException">The parameter is not an int.</exception>
    public int GetInt(string name) => Get(name) is int n
        ? n
        : throw new InvalidCastException(string.Create(CultureInfo.InvariantCulture, $"Parameter '{name}' holds {Format(Get(name))}, not an int; use {(Get(name) is double ? "GetDouble" : "GetString")}."));

    /// <summary>The value of a choice parameter.</summary>
    /// <exception cref="KeyNotFoundException">The parameter is absent.</exception>
    /// <exception cref="InvalidCastException">The parameter is a number.</exception>
    public string GetString(string name) => Get(name) is string s
        ? s
        : throw new InvalidCastException($"Parameter '{name}' holds the number {Format(Get(name))}, not a choice; use {(Get(name) is int ? "GetInt" : "GetDouble")}.");

    /// <summary>The set as text, e.g. <c>learningRate=0.00123, units=64, activation=GELU</c> (invariant culture).</summary>
    public override string ToString() => string.Join(", ", _names.Select((name, i) => $"{name}={Format(_values[i])}"));

    /// <summary>Whether <paramref name="other"/> holds the same names with the same values.</summary>
    public bool Equals(ParameterSet? other)
    {
        if (other is null || other._names.Length != _names.Length)
        {
            return false;
        }

        for (var i = 0; i < _names.Length; i++)
        {
            if (!string.Equals(_names[i], other._names[i], StringComparison.Ordinal) || !Equals(_values[i], other._values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ParameterSet);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        for (var i = 0; i < _names.Length; i++)
        {
            hash.Add(_names[i], StringComparer.Ordinal);
            hash.Add(_values[i]);
        }

        return hash.ToHashCode();
    }

    private object Get(string name)
    {
        var index = IndexOf(name);
        return index >= 0
            ? _values[index]
            : throw new KeyNotFoundException($"The parameter set has no '{name}' (unknown, or a conditional parameter whose condition does not hold). Received set: {this}.");
    }

    private int IndexOf(string name) => Array.IndexOf(_names, name);

    private static string Format(object value) => value switch
    {
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        int n => n.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
