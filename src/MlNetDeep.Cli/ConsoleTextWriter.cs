using System.Text;
using Spectre.Console;

namespace MlNetDeep.Cli;

/// <summary>A <see cref="TextWriter"/> that writes to a Spectre.Console <see cref="IAnsiConsole"/> (for the parser's help and errors).</summary>
internal sealed class ConsoleTextWriter : TextWriter
{
    private readonly IAnsiConsole _console;

    /// <summary>Wraps <paramref name="console"/>.</summary>
    public ConsoleTextWriter(IAnsiConsole console)
    {
        _console = console;
    }

    /// <inheritdoc/>
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc/>
    public override void Write(char value) => _console.Write(new Text(value.ToString()));

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _console.Write(new Text(value));
        }
    }

    /// <inheritdoc/>
    public override void WriteLine(string? value)
    {
        Write(value);
        _console.WriteLine();
    }
}
