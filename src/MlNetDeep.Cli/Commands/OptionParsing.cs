using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace MlNetDeep.Cli.Commands;

/// <summary>Option factories with the validation every verb shares.</summary>
internal static class OptionParsing
{
    /// <summary>An option whose value must lie in a range (inclusive unless stated).</summary>
    public static Option<T> InRange<T>(Option<T> option, T min, T max, bool maxExclusive = false)
        where T : struct, IComparable<T>
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0)
            {
                return;
            }

            var value = result.GetValueOrDefault<T>();
            var tooBig = maxExclusive ? value.CompareTo(max) >= 0 : value.CompareTo(max) > 0;
            if (value.CompareTo(min) < 0 || tooBig)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be in [{min}, {max}{(maxExclusive ? ")" : "]")}; received {value}."));
            }
        });
        return option;
    }

    /// <summary>The same, for an optional value.</summary>
    public static Option<T?> InRange<T>(Option<T?> option, T min, T max, bool maxExclusive = false)
        where T : struct, IComparable<T>
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0 || result.GetValueOrDefault<T?>() is not { } value)
            {
                return;
            }

            var tooBig = maxExclusive ? value.CompareTo(max) >= 0 : value.CompareTo(max) > 0;
            if (value.CompareTo(min) < 0 || tooBig)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be in [{min}, {max}{(maxExclusive ? ")" : "]")}; received {value}."));
            }
        });
        return option;
    }

    /// <summary>Parses a comma-separated list of positive layer widths such as <c>128,64</c>.</summary>
    public static int[]? ParseLayerWidths(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var text = string.Join(",", result.Tokens.Select(t => t.Value));
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var widths = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
            {
                result.AddError($"--hidden takes comma-separated positive layer widths such as 128,64; received '{text}'.");
                return null;
            }
        }

        return widths;
    }
}
