namespace MlNetDeep.Benchmarks;

/// <summary>Reads <c>--name value</c> options.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public CommandLine(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs. Received: '{args[i]}'.");
            }

            _values[args[i][2..]] = args[++i];
        }
    }

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    public string String(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public float Float(string name, float fallback) => _values.TryGetValue(name, out var value) ? float.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
