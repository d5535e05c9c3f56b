using System.Globalization;
using System.Text;

namespace MlNetDeep.Cli.Tests;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mlnetdeep-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// Writes a small learnable table: two numeric features x and y (every 17th y missing), a categorical column
    /// colour, and optionally one label column: Class (a/b/c from the signs of x and y), Flag (yes/no: x &gt; 0)
    /// or Target (2x - y + 3).
    /// </summary>
    public string WriteSynthetic(string name, int rows, string? label, int seed = 3)
    {
        var random = new Random(seed);
        var text = new StringBuilder("x,y,colour" + (label is null ? "" : "," + label) + "\n");
        string[] colours = ["red", "green", "blue"];
        for (var i = 0; i < rows; i++)
        {
            var x = random.NextDouble() * 4 - 2;
            var y = random.NextDouble() * 4 - 2;
            var yText = i % 17 == 5 ? string.Empty : y.ToString("0.###", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"{x:0.###},{yText},{colours[i % 3]}");
            var value = label switch
            {
                "Class" => x > 0 ? "a" : y > 0 ? "b" : "c",
                "Flag" => x > 0 ? "yes" : "no",
                "Target" => (2 * x - y + 3).ToString("0.###", CultureInfo.InvariantCulture),
                null => null,
                _ => throw new ArgumentException($"Unknown synthetic label '{label}'.", nameof(label)),
            };
            if (value is not null)
            {
                text.Append(',').Append(value);
            }

            text.Append('\n');
        }

        return Write(name, text.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow file system: the temp folder is cleaned by the system.
        }
    }
}
