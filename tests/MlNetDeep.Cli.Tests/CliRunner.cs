using Spectre.Console;

namespace MlNetDeep.Cli.Tests;

/// <summary>Runs the command line in-process against a plain-text console and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var (console, writer) = CreateConsole();
        var exitCode = CliApp.Run(args, console);
        return (exitCode, writer.ToString());
    }

    public static (IAnsiConsole Console, StringWriter Writer) CreateConsole()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;
        return (console, writer);
    }
}
