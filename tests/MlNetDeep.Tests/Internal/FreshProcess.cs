using System.Diagnostics;
using System.Globalization;

namespace MlNetDeep.Tests.Internal;

/// <summary>
/// Starts this test assembly as a fresh process (its <see cref="Program"/>), so a saved model is loaded with nothing
/// registered or cached beforehand.
/// </summary>
public static class FreshProcess
{
    /// <summary>Runs <c>dotnet MlNetDeep.Tests.dll arguments...</c> and returns its exit code, output and error output.</summary>
    public static (int ExitCode, string Output, string Error) Run(params string[] arguments) => Run(new Dictionary<string, string>(), arguments);

    /// <summary>Runs <c>dotnet MlNetDeep.Tests.dll arguments...</c> with <paramref name="environment"/> added to its environment variables.</summary>
    public static (int ExitCode, string Output, string Error) Run(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The fresh process did not finish within two minutes.");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The dotnet host running the tests (or the one the SDK names, or the one on PATH).</summary>
    private static string DotnetHost()
    {
        var processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return processPath;
        }

        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(hostPath) && File.Exists(hostPath) ? hostPath : "dotnet";
    }

    /// <summary>Runs the fresh process and parses its output: one float per line, written as its bits (Int32).</summary>
    public static float[] RunAndReadFloats(params string[] arguments) => RunAndReadFloats(new Dictionary<string, string>(), arguments);

    /// <summary>Runs the fresh process with <paramref name="environment"/> added to its variables and parses its output as <see cref="RunAndReadFloats(string[])"/> does.</summary>
    public static float[] RunAndReadFloats(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var (exitCode, output, error) = Run(environment, arguments);
        Assert.True(exitCode == 0, $"The fresh process exited with {exitCode}: {error}");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => BitConverter.Int32BitsToSingle(int.Parse(line, CultureInfo.InvariantCulture)))];
    }
}
