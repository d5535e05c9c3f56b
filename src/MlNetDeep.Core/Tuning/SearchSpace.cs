using System.Globalization;
using System.Runtime.CompilerServices;

namespace MlNetDeep.Tuning;

/// <summary>
/// The space a hyperparameter search explores: named float and int ranges (linear or log scale) and
/// categorical choices, some of which may exist only when an earlier choice takes given values.
/// </summary>
/// <remarks>
/// <para>Built fluently; <see cref="When(string, string[])"/> makes the parameter added just before it conditional:</para>
/// <code>
/// var space = new SearchSpace()
///     .AddFloat("learningRate", 1e-4, 1e-1, logScale: true)
///     .AddInt("units", 16, 512, logScale: true)
///     .AddChoice("activation", "ReLU", "GELU", "SELU")
///     .AddChoice("dropout", "off", "on")
///     .AddFloat("dropoutRate", 0.05, 0.5).When("dropout", "on");
/// </code>
/// <para>
/// Optimizers see the space through two maps. Sampling draws one coordinate <c>u ∈ [0, 1)</c> per parameter and
/// decodes it: a float is <c>lower + u·(upper − lower)</c> (on the log scale, the same in <c>log</c>); an int is
/// the continuous range <c>[lower − ½, upper + ½]</c> (log scale: in <c>log</c>) rounded to the nearest integer,
/// so every integer gets its fair share; a choice is choice number <c>⌊u·k⌋</c>. The surrogate model sees a
/// point in the unit cube: one coordinate per number (the inverse of the same map, so log scales are applied)
/// and a one-hot block per choice; an inactive conditional parameter is encoded as 0 (all zeros for a choice).
/// </para>
/// </remarks>
public sealed class SearchSpace
{
    private readonly List<SearchParameter> _parameters = [];
    private readonly Dictionary<string, int> _indexByName = new(StringComparer.Ordinal);

    /// <summary>The parameters in declaration order (every condition refers to an earlier parameter).</summary>
    public IReadOnlyList<SearchParameter> Parameters => _parameters;

    /// <summary>The number of parameters.</summary>
    public int Count => _parameters.Count;

    /// <summary>The parameter named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No parameter has that name.</exception>
    public SearchParameter this[string name] => _indexByName.TryGetValue(name, out var index)
        ? _parameters[index]
        : throw new KeyNotFoundException($"The search space has no parameter named '{name}'.");

    /// <summary>The number of unit-cube coordinates the surrogate model sees (one per number, one per choice value).</summary>
    internal int FeatureCount { get; private set; }

    /// <summary>Adds a real-valued parameter sampled from <c>[lower, upper]</c>.</summary>
    /// <param name="name">A name not used yet in this space.</param>
    /// <param name="lower">The smallest value; positive when <paramref name="logScale"/> is set.</param>
    /// <param name="upper">The largest value, greater than <paramref name="lower"/>.</param>
    /// <param name="logScale">Sample uniformly in <c>log(value)</c>, for scales such as learning rates.</param>
    /// <returns>This space, for chaining.</returns>
    public SearchSpace AddFloat(string name, double lower, double upper, bool logScale = false)
    {
        CheckName(name);
        CheckRange(name, lower, upper, logScale);
        return Add(new SearchParameter(name, ParameterKind.Float, lower, upper, logScale, [], null));
    }

    /// <summary>Adds an integer parameter sampled from <c>[lower, upper]</c>, both included.</summary>
    /// <param name="name">A name not used yet in this space.</param>
    /// <param name="lower">The smallest value; at least 1 when <paramref name="logScale"/> is set.</param>
    /// <param name="upper">The largest value, at least <paramref name="lower"/>.</param>
    /// <param name="logScale">Sample uniformly in <c>log(value)</c>, for sizes such as a layer's units.</param>
    /// <returns>This space, for chaining.</returns>
    public SearchSpace AddInt(string name, int lower, int upper, bool logScale = false)
    {
        CheckName(name);
        if (upper < lower)
        {
            throw new ArgumentOutOfRangeException(nameof(upper), upper, $"Parameter '{name}': upper must be at least lower. Received: lower={lower}, upper={upper}.");
        }

        if (logScale && lower < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(lower), lower, $"Parameter '{name}': a log-scale int needs lower ≥ 1. Received: lower={lower}.");
        }

        return Add(new SearchParameter(name, ParameterKind.Int, lower, upper, logScale, [], null));
    }

    /// <summary>Adds a categorical parameter that takes one of <paramref name="choices"/>.</summary>
    /// <param name="name">A name not used yet in this space.</param>
    /// <param name="choices">At least one distinct, non-empty value.</param>
    /// <returns>This space, for chaining.</returns>
    public SearchSpace AddChoice(string name, params string[] choices)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(choices);
        if (choices.Length == 0)
        {
            throw new ArgumentException($"Parameter '{name}': a choice needs at least one value. Received: no values.", nameof(choices));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var choice in choices)
        {
            if (string.IsNullOrEmpty(choice) || !seen.Add(choice))
            {
                throw new ArgumentException($"Parameter '{name}': choices must be distinct and non-empty. Received: '{choice}' in [{string.Join(", ", choices)}].", nameof(choices));
            }
        }

        return Add(new SearchParameter(name, ParameterKind.Choice, 0, 0, false, [.. choices], null));
    }

    /// <summary>
    /// Makes the parameter added just before this call conditional: it exists only when the earlier choice
    /// parameter <paramref name="parentName"/> exists and takes one of <paramref name="values"/>. Conditions
    /// nest: a parameter conditioned on a conditional choice exists only when both conditions hold.
    /// </summary>
    /// <param name="parentName">A choice parameter declared before the conditional one.</param>
    /// <param name="values">One or more of the parent's choices.</param>
    /// <returns>This space, for chaining.</returns>
    public SearchSpace When(string parentName, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(parentName);
        ArgumentNullException.ThrowIfNull(values);
        if (_parameters.Count == 0)
        {
            throw new InvalidOperationException($"When('{parentName}', ...) needs a parameter to apply to; add one first.");
        }

        var last = _parameters[^1];
        if (last.Condition is not null)
        {
            throw new InvalidOperationException($"Parameter '{last.Name}' already has the condition {last.Condition}. Received: a second condition on '{parentName}'.");
        }

        if (!_indexByName.TryGetValue(parentName, out var parentIndex) || parentIndex == _parameters.Count - 1)
        {
            throw new ArgumentException($"Parameter '{last.Name}': the condition must refer to an earlier parameter. Received: parentName='{parentName}'.", nameof(parentName));
        }

        var parent = _parameters[parentIndex];
        if (parent.Kind != ParameterKind.Choice)
        {
            throw new ArgumentException($"Parameter '{last.Name}': a condition must refer to a choice parameter. Received: parentName='{parentName}', which is a {parent.Kind}.", nameof(parentName));
        }

        if (values.Length == 0)
        {
            throw new ArgumentException($"Parameter '{last.Name}': the condition on '{parentName}' needs at least one value. Received: no values.", nameof(values));
        }

        foreach (var value in values)
        {
            if (!parent.Choices.Contains(value))
            {
                throw new ArgumentException($"Parameter '{last.Name}': '{value}' is not a choice of '{parentName}' ({string.Join(", ", parent.Choices)}). Received: values=[{string.Join(", ", values)}].", nameof(values));
            }
        }

        _parameters[^1] = last.WithCondition(new ParameterCondition(parentName, [.. values.Distinct(StringComparer.Ordinal)]));
        return this;
    }

    /// <summary>
    /// A new space with the parameters of this one except <paramref name="names"/> and every parameter whose condition
    /// refers to a removed one (directly or through another conditional parameter), in the same order with the same
    /// ranges and conditions. Use it to fix options the search should leave alone, e.g. those a user has set.
    /// </summary>
    /// <param name="names">Names of parameters of this space.</param>
    /// <returns>The narrowed space; this one is unchanged.</returns>
    /// <exception cref="KeyNotFoundException">A name is not a parameter of this space.</exception>
    public SearchSpace Without(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            removed.Add(this[name].Name);
        }

        var space = new SearchSpace();
        foreach (var parameter in _parameters)
        {
            if (removed.Contains(parameter.Name) || (parameter.Condition is { } condition && removed.Contains(condition.ParentName)))
            {
                // Conditions refer to earlier parameters, so one pass in declaration order removes the dependants' dependants too.
                removed.Add(parameter.Name);
                continue;
            }

            space.Add(parameter);
        }

        return space;
    }

    /// <summary>
    /// Builds a parameter set from explicit values, e.g. a known good configuration to
    /// <see cref="HyperparameterOptimizer.Tell"/> before searching. Give a value for exactly the parameters that
    /// are active under the given choices: a number for floats (any numeric type), an <see cref="int"/> for ints,
    /// a <see cref="string"/> for choices.
    /// </summary>
    /// <exception cref="ArgumentException">A value is missing, out of range, of the wrong type, or not in the space.</exception>
    public ParameterSet CreateParameterSet(IReadOnlyDictionary<string, object> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var names = new List<string>(values.Count);
        var ordered = new List<object>(values.Count);
        foreach (var parameter in _parameters)
        {
            if (values.TryGetValue(parameter.Name, out var value))
            {
                names.Add(parameter.Name);
                ordered.Add(parameter.Kind == ParameterKind.Float && value is IConvertible and not string
                    ? Convert.ToDouble(value, CultureInfo.InvariantCulture)
                    : value);
            }
        }

        foreach (var name in values.Keys)
        {
            if (!_indexByName.ContainsKey(name))
            {
                throw new ArgumentException($"The search space has no parameter named '{name}'. Received: {name}={values[name]}.", nameof(values));
            }
        }

        var set = new ParameterSet(names, ordered);
        Validate(set);
        return set;
    }

    /// <summary>The parameters, one a line.</summary>
    public override string ToString() => string.Join(Environment.NewLine, _parameters);

    /// <summary>
    /// Decodes one coordinate per parameter (each in <c>[0, 1)</c>, in parameter order) into a parameter set;
    /// coordinates of inactive parameters are ignored. The maps are described on the type.
    /// </summary>
    internal ParameterSet Decode(ReadOnlySpan<double> unit)
    {
        var names = new List<string>(_parameters.Count);
        var values = new List<object>(_parameters.Count);
        var decoded = new object?[_parameters.Count];
        for (var i = 0; i < _parameters.Count; i++)
        {
            var parameter = _parameters[i];
            if (!IsActive(parameter, decoded))
            {
                continue;
            }

            var u = Math.Clamp(unit[i], 0, 1);
            object value = parameter.Kind switch
            {
                ParameterKind.Float => DecodeFloat(parameter, u),
                ParameterKind.Int => DecodeInt(parameter, u),
                _ => parameter.Choices[Math.Min((int)(u * parameter.Choices.Count), parameter.Choices.Count - 1)],
            };
            decoded[i] = value;
            names.Add(parameter.Name);
            values.Add(value);
        }

        return new ParameterSet(names, values);
    }

    /// <summary>
    /// The inverse of <see cref="Decode"/> up to rounding: the coordinate at the centre of each value's cell
    /// (0.5 for inactive parameters), written to <paramref name="unit"/> (length <see cref="Count"/>).
    /// </summary>
    internal void ToUnit(ParameterSet parameters, Span<double> unit)
    {
        for (var i = 0; i < _parameters.Count; i++)
        {
            var parameter = _parameters[i];
            unit[i] = parameters.TryGet(parameter.Name, out var value)
                ? parameter.Kind == ParameterKind.Choice
                    ? (IndexOfChoice(parameter, (string)value!) + 0.5) / parameter.Choices.Count
                    : NumberToUnit(parameter, Convert.ToDouble(value, CultureInfo.InvariantCulture))
                : 0.5;
        }
    }

    /// <summary>Encodes a parameter set as the surrogate's unit-cube features (length <see cref="FeatureCount"/>).</summary>
    internal void Encode(ParameterSet parameters, Span<double> features)
    {
        var offset = 0;
        foreach (var parameter in _parameters)
        {
            var active = parameters.TryGet(parameter.Name, out var value);
            if (parameter.Kind == ParameterKind.Choice)
            {
                features.Slice(offset, parameter.Choices.Count).Clear();
                if (active)
                {
                    features[offset + IndexOfChoice(parameter, (string)value!)] = 1;
                }

                offset += parameter.Choices.Count;
            }
            else
            {
                features[offset++] = active ? NumberToUnit(parameter, Convert.ToDouble(value, CultureInfo.InvariantCulture)) : 0;
            }
        }
    }

    /// <summary>
    /// <c>Encode(Decode(unit))</c> without building a parameter set (the acquisition search scores thousands of
    /// points per proposal). <paramref name="choices"/> (length <see cref="Count"/>) receives each parameter's
    /// choice index, −1 when inactive.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void UnitToFeatures(ReadOnlySpan<double> unit, Span<double> features, Span<int> choices)
    {
        var offset = 0;
        for (var i = 0; i < _parameters.Count; i++)
        {
            var parameter = _parameters[i];
            var active = parameter.Condition is not { } condition || ConditionHolds(condition, choices);
            var u = Math.Clamp(unit[i], 0, 1);
            choices[i] = -1;
            if (parameter.Kind == ParameterKind.Choice)
            {
                var count = parameter.Choices.Count;
                features.Slice(offset, count).Clear();
                if (active)
                {
                    choices[i] = Math.Min((int)(u * count), count - 1);
                    features[offset + choices[i]] = 1;
                }

                offset += count;
            }
            else
            {
                features[offset++] = !active ? 0
                    : parameter.Kind == ParameterKind.Float ? NumberToUnit(parameter, DecodeFloat(parameter, u))
                    : NumberToUnit(parameter, DecodeInt(parameter, u));
            }
        }
    }

    /// <summary>
    /// Checks that <paramref name="parameters"/> could have come from this space: exactly the active parameters,
    /// each of the right type and inside its range.
    /// </summary>
    internal void Validate(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var decoded = new object?[_parameters.Count];
        var expected = 0;
        for (var i = 0; i < _parameters.Count; i++)
        {
            var parameter = _parameters[i];
            var active = IsActive(parameter, decoded);
            var present = parameters.TryGet(parameter.Name, out var value);
            if (active != present)
            {
                throw new ArgumentException(active
                    ? $"Parameter '{parameter.Name}' is active here but missing. Received: {parameters}."
                    : $"Parameter '{parameter.Name}' is inactive ({parameter.Condition}) but present. Received: {parameters}.", nameof(parameters));
            }

            if (!present)
            {
                continue;
            }

            expected++;
            var ok = parameter.Kind switch
            {
                ParameterKind.Float => value is double d && d >= parameter.Lower && d <= parameter.Upper,
                ParameterKind.Int => value is int n && n >= parameter.Lower && n <= parameter.Upper,
                _ => value is string s && parameter.Choices.Contains(s),
            };
            if (!ok)
            {
                throw new ArgumentException($"Parameter '{parameter.Name}' ({parameter}) cannot take the value received: {value}.", nameof(parameters));
            }

            decoded[i] = value;
        }

        if (expected != parameters.Count)
        {
            throw new ArgumentException($"The parameter set has names this space does not know. Received: {parameters}.", nameof(parameters));
        }
    }

    private bool IsActive(SearchParameter parameter, object?[] decoded)
    {
        if (parameter.Condition is not { } condition)
        {
            return true;
        }

        return condition.IsSatisfiedBy(decoded[_indexByName[condition.ParentName]] as string);
    }

    private bool ConditionHolds(ParameterCondition condition, ReadOnlySpan<int> choices)
    {
        var parentIndex = _indexByName[condition.ParentName];
        var choice = choices[parentIndex];
        return choice >= 0 && condition.IsSatisfiedBy(_parameters[parentIndex].Choices[choice]);
    }

    private static int IndexOfChoice(SearchParameter parameter, string value)
    {
        for (var k = 0; k < parameter.Choices.Count; k++)
        {
            if (string.Equals(parameter.Choices[k], value, StringComparison.Ordinal))
            {
                return k;
            }
        }

        throw new ArgumentException($"Parameter '{parameter.Name}' has no choice '{value}'.");
    }

    private static double DecodeFloat(SearchParameter parameter, double u)
    {
        var value = parameter.IsLogScale
            ? Math.Exp(Math.Log(parameter.Lower) + (u * (Math.Log(parameter.Upper) - Math.Log(parameter.Lower))))
            : parameter.Lower + (u * (parameter.Upper - parameter.Lower));
        return Math.Clamp(value, parameter.Lower, parameter.Upper);
    }

    private static int DecodeInt(SearchParameter parameter, double u)
    {
        var (lo, hi) = IntBounds(parameter);
        var t = lo + (u * (hi - lo));
        var value = parameter.IsLogScale ? Math.Exp(t) : t;
        return (int)Math.Clamp(Math.Round(value, MidpointRounding.AwayFromZero), parameter.Lower, parameter.Upper);
    }

    private static double NumberToUnit(SearchParameter parameter, double value)
    {
        if (parameter.Kind == ParameterKind.Int)
        {
            var (lo, hi) = IntBounds(parameter);
            return ((parameter.IsLogScale ? Math.Log(value) : value) - lo) / (hi - lo);
        }

        if (parameter.Upper == parameter.Lower)
        {
            return 0.5;
        }

        return parameter.IsLogScale
            ? (Math.Log(value) - Math.Log(parameter.Lower)) / (Math.Log(parameter.Upper) - Math.Log(parameter.Lower))
            : (value - parameter.Lower) / (parameter.Upper - parameter.Lower);
    }

    // The continuous range an int parameter is rounded from, in the sampling scale.
    private static (double Lo, double Hi) IntBounds(SearchParameter parameter) => parameter.IsLogScale
        ? (Math.Log(parameter.Lower - 0.5), Math.Log(parameter.Upper + 0.5))
        : (parameter.Lower - 0.5, parameter.Upper + 0.5);

    private SearchSpace Add(SearchParameter parameter)
    {
        _indexByName.Add(parameter.Name, _parameters.Count);
        _parameters.Add(parameter);
        FeatureCount += parameter.Kind == ParameterKind.Choice ? parameter.Choices.Count : 1;
        return this;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"A parameter needs a non-empty name. Received: name='{name}'.", nameof(name));
        }

        if (_indexByName.ContainsKey(name))
        {
            throw new ArgumentException($"The search space already has a parameter named '{name}'. Received: name='{name}'.", nameof(name));
        }
    }

    private static void CheckRange(string name, double lower, double upper, bool logScale)
    {
        if (!double.IsFinite(lower) || !double.IsFinite(upper) || upper < lower)
        {
            throw new ArgumentOutOfRangeException(nameof(upper), upper, string.Create(CultureInfo.InvariantCulture, $"Parameter '{name}': the range must be finite with upper ≥ lower. Received: lower={lower}, upper={upper}."));
        }

        if (logScale && lower <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(lower), lower, string.Create(CultureInfo.InvariantCulture, $"Parameter '{name}': a log-scale range needs a positive lower bound. Received: lower={lower}."));
        }
    }
}
