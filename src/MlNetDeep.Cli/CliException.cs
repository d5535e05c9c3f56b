namespace MlNetDeep.Cli;

/// <summary>
/// A problem the user can fix (a missing file, an unknown column, a bad value or option): the tool prints
/// its message without a stack trace and exits with <see cref="ExitCode"/>.
/// </summary>
internal sealed class CliException : Exception
{
    /// <summary>Exit code for a problem with the input data or model files.</summary>
    public const int DataError = 1;

    /// <summary>Exit code for a bad command-line option value.</summary>
    public const int UsageError = 2;

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and, where useful, what to do.</param>
    /// <param name="exitCode">The process exit code.</param>
    public CliException(string message, int exitCode = DataError)
        : base(message)
    {
        ExitCode = exitCode;
    }

    /// <summary>The process exit code.</summary>
    public int ExitCode { get; }
}
