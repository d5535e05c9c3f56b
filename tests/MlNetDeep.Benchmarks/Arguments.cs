using System.Globalization;

namespace MlNetDeep.Benchmarks;

/// <summary>Reads <c>--name value</c> pairs from the command line.</summary>
internal static class Arguments
{
    public static string Get(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    public static int GetInt(string[] args, string name, int fallback)
        => int.Parse(Get(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
