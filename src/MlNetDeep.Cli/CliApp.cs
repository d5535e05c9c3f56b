using System.CommandLine;
using MlNetDeep.Cli.Commands;
using Spectre.Console;

namespace MlNetDeep.Cli;

/// <summary>
/// The <c>mlnetdeep</c> command line: the verbs <c>train</c>, <c>evaluate</c> and <c>predict</c>. Problems the user
/// can fix are printed as one message without a stack trace, with exit code 1 (data or model files) or 2 (options).
/// </summary>
internal static class CliApp
{
    /// <summary>Builds the root command with every verb.</summary>
    /// <param name="console">Where verbs write their output.</param>
    public static RootCommand CreateRootCommand(IAnsiConsole console) =>
        new("mlnetdeep: train feed-forward neural networks on CSV files with ML.NET and MlNetDeep.")
        {
            TrainCommand.Create(console),
            EvaluateCommand.Create(console),
            PredictCommand.Create(console),
            TuneCommand.Create(console),
        };

    /// <summary>Parses <paramref name="args"/>, runs the verb and returns the process exit code.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="console">Where to write output, errors included.</param>
    public static int Run(string[] args, IAnsiConsole console)
    {
        // Help goes straight to the console's writer: the parser lays it out for the terminal width itself.
        var writer = console.Profile.Out.Writer;
        var parseResult = CreateRootCommand(console).Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                WriteError(console, error.Message);
            }

            console.WriteLine($"Run 'mlnetdeep {parseResult.CommandResult.Command.Name} --help' for usage.");
            return CliException.UsageError;
        }

        return parseResult.Invoke(new InvocationConfiguration { Output = writer, Error = writer });
    }

    /// <summary>Runs a verb's body, turning user errors into a message and an exit code.</summary>
    /// <param name="console">Where to write the message.</param>
    /// <param name="body">The verb's work.</param>
    public static int Guard(IAnsiConsole console, Action body)
    {
        try
        {
            body();
            return 0;
        }
        catch (CliException e)
        {
            WriteError(console, e.Message);
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable inputs and unwritable outputs: the message names the path.
            WriteError(console, e.Message);
            return CliException.DataError;
        }
    }

    /// <summary>Writes an error message in red, prefixed with "Error:".</summary>
    public static void WriteError(IAnsiConsole console, string message) =>
        console.MarkupLine($"[red]Error:[/] {Markup.Escape(message)}");
}
