namespace MlNetDeep.Benchmarks;

/// <summary>Reads <c>--name value</c> options; an option given more than once keeps every value, in order.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public CommandLine(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs. Received: '{args[i]}'.");
            }

            var name = args[i][2..];
            if (!_values.TryGetValue(name, out var values))
            {
                _values[name] = values = [];
            }

            values.Add(args[++i]);
        }
    }

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var values) ? int.Parse(values[^1], System.Globalization.CultureInfo.InvariantCulture) : fallback;

    /// <summary>The last value given for <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public string String(string name, string fallback) => _values.TryGetValue(name, out var values) ? values[^1] : fallback;

    /// <summary>Every value given for <paramref name="name"/>, in order (none when absent).</summary>
    public IReadOnlyList<string> Strings(string name) => _values.TryGetValue(name, out var values) ? values : [];

    public float Float(string name, float fallback) => _values.TryGetValue(name, out var values) ? float.Parse(values[^1], System.Globalization.CultureInfo.InvariantCulture) : fallback;

    /// <summary>Rejects any option not in <paramref name="known"/>, so a misspelt option fails instead of being ignored.</summary>
    public void RejectUnknown(params string[] known)
    {
        var unknown = _values.Keys.Where(k => !known.Contains(k, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s) {string.Join(", ", unknown.Select(u => "--" + u))}. Known: {string.Join(", ", known.Select(k => "--" + k))}.");
        }
    }
}
