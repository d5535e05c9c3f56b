using System.Globalization;
using System.Reflection;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>--set Name=Value</c> assignments to the trainers' options, found by reflection over the public instance fields of
/// <see cref="FeedForwardMulticlassTrainer.Options"/>, <see cref="FeedForwardBinaryTrainer.Options"/> and
/// <see cref="FeedForwardRegressionTrainer.Options"/>, so an option added later is settable without a change here.
/// Names match case-insensitively. Values: enums by name, numbers in the invariant culture, <c>true</c>/<c>false</c>,
/// arrays as comma lists (<c>HiddenLayers=512,512,512</c>; an empty value is an empty array), and <c>null</c> for a
/// nullable field. Every assignment is checked against every options type when parsed, before anything trains; a field
/// that only some tasks have (<c>Loss</c> of regression) is applied where it exists and skipped elsewhere.
/// </summary>
internal sealed class TrainerOptionAssignments
{
    private static readonly Type[] OptionTypes =
    [
        typeof(FeedForwardMulticlassTrainer.Options),
        typeof(FeedForwardBinaryTrainer.Options),
        typeof(FeedForwardRegressionTrainer.Options),
    ];

    private static readonly NullabilityInfoContext Nullability = new();

    private readonly List<(string Name, string Text)> _assignments;

    private TrainerOptionAssignments(List<(string Name, string Text)> assignments)
    {
        _assignments = assignments;
    }

    /// <summary>The assignments as given (names spelt as the fields are), in order.</summary>
    public IReadOnlyList<(string Name, string Text)> Assignments => _assignments;

    /// <summary>Parses and checks <c>Name=Value</c> texts.</summary>
    /// <exception cref="ArgumentException">A text is not <c>Name=Value</c>, no options type has the field, the field is
    /// <c>Seed</c> (set per split by the command) or is of a type that text cannot give, or the value does not parse.</exception>
    public static TrainerOptionAssignments Parse(IEnumerable<string> texts)
    {
        var assignments = new List<(string, string)>();
        foreach (var text in texts)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--set takes Name=Value, such as HiddenLayers=512,512,512. Received: '{text}'.");
            }

            var name = text[..equals].Trim();
            var value = text[(equals + 1)..].Trim();
            var fields = OptionTypes.Select(t => Field(t, name)).OfType<FieldInfo>().ToList();
            if (fields.Count == 0)
            {
                var settable = OptionTypes.SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Instance)).Where(IsSettable).Select(f => f.Name).Distinct().Order(StringComparer.Ordinal);
                throw new ArgumentException($"--set {name}: the trainers' options have no field '{name}'. Settable fields: {string.Join(", ", settable)}.");
            }

            if (fields[0].Name == nameof(FeedForwardTrainerOptionsBase.Seed))
            {
                throw new ArgumentException($"--set {name}: the seed is set per split from --seeds.");
            }

            foreach (var field in fields)
            {
                Convert(field, value);
            }

            assignments.Add((fields[0].Name, value));
        }

        return new TrainerOptionAssignments(assignments);
    }

    /// <summary>Sets every assigned field that <typeparamref name="T"/> has; returns <paramref name="options"/>.</summary>
    public T Apply<T>(T options)
        where T : FeedForwardTrainerOptionsBase
    {
        foreach (var (name, text) in _assignments)
        {
            if (Field(typeof(T), name) is { } field)
            {
                field.SetValue(options, Convert(field, text));
            }
        }

        return options;
    }

    /// <summary>The assigned names that <paramref name="optionsType"/> has no field for (they are skipped for it).</summary>
    public IReadOnlyList<string> NotApplicableTo(Type optionsType) => [.. _assignments.Select(a => a.Name).Where(n => Field(optionsType, n) is null)];

    private static FieldInfo? Field(Type type, string name) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    private static object? Convert(FieldInfo field, string text)
    {
        var type = Nullable.GetUnderlyingType(field.FieldType) ?? field.FieldType;
        if (!IsSettable(field))
        {
            throw new ArgumentException($"--set {field.Name}: a field of type {type.Name} cannot be set from the command line.");
        }

        var nullable = Nullable.GetUnderlyingType(field.FieldType) is not null || Nullability.Create(field).WriteState == NullabilityState.Nullable;
        if (nullable && text.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Convert(type, text, field.Name);
    }

    private static bool IsSettable(FieldInfo field)
    {
        var type = Nullable.GetUnderlyingType(field.FieldType) ?? field.FieldType;
        return type.IsArray ? type.GetArrayRank() == 1 && IsScalar(type.GetElementType()!) : IsScalar(type);
    }

    private static bool IsScalar(Type type) =>
        type.IsEnum || type == typeof(string) || (type.IsPrimitive && type != typeof(char) && type != typeof(IntPtr) && type != typeof(UIntPtr));

    private static object Convert(Type type, string text, string name)
    {
        if (type.IsArray && type.GetArrayRank() == 1)
        {
            var element = type.GetElementType()!;
            var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var array = Array.CreateInstance(element, parts.Length);
            for (var i = 0; i < parts.Length; i++)
            {
                array.SetValue(Convert(element, parts[i], name), i);
            }

            return array;
        }

        if (type.IsEnum)
        {
            if (Enum.TryParse(type, text, ignoreCase: true, out var value) && Enum.IsDefined(type, value))
            {
                return value;
            }

            throw new ArgumentException($"--set {name}: '{text}' is not a value of {type.Name}. Values: {string.Join(", ", Enum.GetNames(type))}.");
        }

        if (type == typeof(string))
        {
            return text;
        }

        try
        {
            return System.Convert.ChangeType(text, type, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ArgumentException($"--set {name}: '{text}' cannot be read as {type.Name}.", e);
        }
    }
}
