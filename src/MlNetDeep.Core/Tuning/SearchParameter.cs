using System.Globalization;

namespace MlNetDeep.Tuning;

/// <summary>
/// One dimension of a <see cref="SearchSpace"/>: a float or int range on a linear or log scale, or a list of
/// choices, optionally existing only under a <see cref="ParameterCondition"/>. Created by the
/// <see cref="SearchSpace"/> builder methods.
/// </summary>
public sealed class SearchParameter
{
    internal SearchParameter(string name, ParameterKind kind, double lower, double upper, bool isLogScale, IReadOnlyList<string> choices, ParameterCondition? condition)
    {
        Name = name;
        Kind = kind;
        Lower = lower;
        Upper = upper;
        IsLogScale = isLogScale;
        Choices = choices;
        Condition = condition;
    }

    /// <summary>The parameter's name, unique within its search space.</summary>
    public string Name { get; }

    /// <summary>Whether the parameter is a float, an int or a choice.</summary>
    public ParameterKind Kind { get; }

    /// <summary>The smallest value of a float or int parameter (zero for a choice).</summary>
    public double Lower { get; }

    /// <summary>The largest value of a float or int parameter, included (zero for a choice).</summary>
    public double Upper { get; }

    /// <summary>Whether values are sampled uniformly in <c>log(value)</c> rather than in <c>value</c>.</summary>
    public bool IsLogScale { get; }

    /// <summary>The choices of a choice parameter, in declaration order (empty for numbers).</summary>
    public IReadOnlyList<string> Choices { get; }

    /// <summary>The condition under which the parameter exists, or <see langword="null"/> when it always exists.</summary>
    public ParameterCondition? Condition { get; }

    /// <summary>The parameter as text, e.g. <c>learningRate: float [0.0001, 0.1] log</c>.</summary>
    public override string ToString()
    {
        var text = Kind switch
        {
            ParameterKind.Choice => $"{Name}: choice {{{string.Join(", ", Choices)}}}",
            _ => string.Create(CultureInfo.InvariantCulture, $"{Name}: {(Kind == ParameterKind.Int ? "int" : "float")} [{Lower:G6}, {Upper:G6}]{(IsLogScale ? " log" : string.Empty)}"),
        };
        return Condition is null ? text : $"{text} when {Condition}";
    }

    internal SearchParameter WithCondition(ParameterCondition condition) => new(Name, Kind, Lower, Upper, IsLogScale, Choices, condition);
}
