namespace MlNetDeep.Tuning;

/// <summary>The kind of value a <see cref="SearchParameter"/> takes.</summary>
public enum ParameterKind
{
    /// <summary>A real number in <c>[lower, upper]</c>, read with <see cref="ParameterSet.GetDouble(string)"/>.</summary>
    Float,
    /// <summary>An integer in <c>[lower, upper]</c> (both included), read with <see cref="ParameterSet.GetInt(string)"/>.</summary>
    Int,
    /// <summary>One of a fixed list of names, read with <see cref="ParameterSet.GetString(string)"/>.</summary>
    Choice,
}
