namespace MlNetDeep.Tuning;

/// <summary>
/// The condition under which a conditional <see cref="SearchParameter"/> exists: an earlier choice parameter
/// (<see cref="ParentName"/>) is active and takes one of <see cref="Values"/>. Declared with
/// <see cref="SearchSpace.When(string, string[])"/>.
/// </summary>
public sealed class ParameterCondition
{
    internal ParameterCondition(string parentName, IReadOnlyList<string> values)
    {
        ParentName = parentName;
        Values = values;
    }

    /// <summary>The name of the choice parameter this condition reads.</summary>
    public string ParentName { get; }

    /// <summary>The values of the parent for which the conditional parameter exists.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>Whether the condition holds for a parent value (<see langword="null"/> when the parent is itself inactive).</summary>
    public bool IsSatisfiedBy(string? parentValue) => parentValue is not null && Values.Contains(parentValue);

    /// <summary>The condition as text, e.g. <c>dropout ∈ {on}</c>.</summary>
    public override string ToString() => $"{ParentName} ∈ {{{string.Join(", ", Values)}}}";
}
