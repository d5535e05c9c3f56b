using Microsoft.ML;

namespace MlNetDeep.Tests.Internal;

/// <summary>
/// Saving and loading whole ML.NET model files without partial writes and with errors that name the file; the
/// persistence tests save and load through it.
/// </summary>
public static class ModelFiles
{
    /// <summary>
    /// Saves <paramref name="model"/> with <c>mlContext.Model.Save</c> to a temporary file beside
    /// <paramref name="path"/>, then moves it over <paramref name="path"/>. If saving throws, the temporary file
    /// is deleted and an existing file at <paramref name="path"/> is left as it was.
    /// </summary>
    public static void SaveAtomically(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        WriteAtomically(path, stream => mlContext.Model.Save(model, inputSchema, stream));
    }

    /// <summary>
    /// Runs <paramref name="write"/> on a temporary file in the folder of <paramref name="path"/> and moves the
    /// finished file to <paramref name="path"/>; on any exception the temporary file is deleted and the exception rethrown.
    /// </summary>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Loads a model saved with <c>mlContext.Model.Save</c>. A file that is not a readable ML.NET model
    /// (truncated, garbage, or written by an incompatible version) raises <see cref="InvalidDataException"/>
    /// naming the file, with ML.NET's error as the inner exception.
    /// </summary>
    public static ITransformer Load(MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No model file at '{path}'.", path);
        }

        try
        {
            return mlContext.Model.Load(path, out inputSchema);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            var cause = exception;
            while (cause.InnerException is not null)
            {
                cause = cause.InnerException;
            }

            var detail = ReferenceEquals(cause, exception) ? exception.Message : $"{exception.Message}: {cause.Message}";
            throw new InvalidDataException($"'{path}' is not a readable ML.NET model file (truncated, corrupt, or saved by an incompatible version): {detail}", exception);
        }
    }
}
