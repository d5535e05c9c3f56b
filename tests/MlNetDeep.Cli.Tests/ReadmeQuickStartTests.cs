using System.CommandLine.Parsing;

namespace MlNetDeep.Cli.Tests;

/// <summary>
/// The README's quick start must run: its first command is <c>dotnet run --project &lt;cli project&gt; -- &lt;verb ...&gt;</c>
/// with a project that exists and arguments the CLI accepts, and its second is <c>dotnet test &lt;solution&gt;</c>
/// naming a solution that exists.
/// </summary>
public class ReadmeQuickStartTests
{
    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MlNetDeep.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No MlNetDeep.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The commands of the first code block after the <c>## Quick start</c> heading, without comments and blank lines.</summary>
    internal static List<string> QuickStartCommands(string readme)
    {
        var lines = readme.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var heading = lines.FindIndex(l => l.Trim() == "## Quick start");
        Assert.True(heading >= 0, "README.md has no '## Quick start' heading.");
        var open = lines.FindIndex(heading, l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
        Assert.True(open >= 0, "The quick start has no code block.");
        var close = lines.FindIndex(open + 1, l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
        Assert.True(close > open, "The quick start's code block is not closed.");
        return [.. lines.Skip(open + 1).Take(close - open - 1).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
    }

    [Fact]
    public void QuickStartCommandsAreOnesTheCliAndSolutionAccept()
    {
        var root = RepositoryRoot();
        var commands = QuickStartCommands(File.ReadAllText(Path.Combine(root, "README.md")));
        Assert.True(commands.Count >= 2, $"The quick start has {commands.Count} command(s); expected at least two.");

        var run = CommandLineParser.SplitCommandLine(commands[0]).ToList();
        Assert.True(run.Count >= 5 && run[0] == "dotnet" && run[1] == "run" && run[2] == "--project" && run[4] == "--", $"The first quick-start command is not 'dotnet run --project <path> -- <verb ...>': {commands[0]}");
        var project = Path.Combine(root, run[3]);
        Assert.True(Directory.Exists(project) ? Directory.EnumerateFiles(project, "*.csproj").Any() : File.Exists(project), $"The project '{run[3]}' does not exist.");
        Assert.Equal("MlNetDeep.Cli.csproj", Directory.Exists(project) ? Path.GetFileName(Directory.EnumerateFiles(project, "*.csproj").Single()) : Path.GetFileName(project));
        var (console, _) = CliRunner.CreateConsole();
        var parse = CliApp.CreateRootCommand(console).Parse(run.Skip(5).ToArray());
        Assert.Empty(parse.Errors);
        Assert.IsNotType<System.CommandLine.RootCommand>(parse.CommandResult.Command);

        var test = CommandLineParser.SplitCommandLine(commands[1]).ToList();
        Assert.True(test.Count >= 3 && test[0] == "dotnet" && test[1] == "test", $"The second quick-start command is not 'dotnet test <solution>': {commands[1]}");
        Assert.True(test[2].EndsWith(".sln", StringComparison.Ordinal) || test[2].EndsWith(".slnx", StringComparison.Ordinal), $"'{commands[1]}' does not name a solution.");
        Assert.True(File.Exists(Path.Combine(root, test[2])), $"The solution '{test[2]}' does not exist.");
    }

    [Fact]
    public void QuickStartBlockIsReadWithoutCommentsOrBlankLines()
    {
        const string Readme = "# X\n\n## Quick start\n\nText.\n\n```bash\n# train\ndotnet run --project src/MlNetDeep.Cli -- train\n\ndotnet test MlNetDeep.sln -c Release\n```\n\n```bash\nother\n```\n";

        Assert.Equal(["dotnet run --project src/MlNetDeep.Cli -- train", "dotnet test MlNetDeep.sln -c Release"], QuickStartCommands(Readme));
    }
}
