using Microsoft.ML;

namespace MlNetDeep.Internal;

/// <summary>
/// The only place MlNetDeep reads and writes ML.NET's model contexts (supported Microsoft.ML version: 5.0.1;
/// these members are internal to ML.NET and reached through the publicized references, so a change in
/// ML.NET fails the tests in <c>tests/MlNetDeep.Tests/Internal</c>).
/// A persisted type calls <see cref="WriteHeader"/> then <see cref="WriteStream"/> in its save method, and
/// <see cref="ReadHeader"/> then <see cref="ReadStream"/> in its load method.
/// </summary>
internal static class ModelPersistence
{
    /// <summary>Checks that <paramref name="context"/> saves a model and stamps it with <paramref name="format"/>.</summary>
    public static void WriteHeader(ModelSaveContext context, ModelFormat format)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(format);
        context.CheckAtModel();
        context.SetVersionInfo(format.ToVersionInfo());
    }

    /// <summary>
    /// Checks that <paramref name="context"/> holds a model of <paramref name="format"/> in a version this code reads,
    /// and returns the version it was written with.
    /// </summary>
    public static uint ReadHeader(ModelLoadContext context, ModelFormat format)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(format);
        context.CheckAtModel(format.ToVersionInfo());
        return context.Header.ModelVerWritten;
    }

    /// <summary>Writes a named binary stream inside the model's folder of the .zip.</summary>
    public static void WriteStream(ModelSaveContext context, string name, Action<BinaryWriter> write)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(write);
        context.SaveBinaryStream(name, write);
    }

    /// <summary>Reads a named binary stream written by <see cref="WriteStream"/>; a missing stream is an error that names it.</summary>
    public static void ReadStream(ModelLoadContext context, string name, Action<BinaryReader> read)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(read);
        if (!context.TryLoadBinaryStream(name, read))
        {
            throw new InvalidDataException($"The model is corrupt: its stream '{name}' is missing from '{context.Directory}'.");
        }
    }
}
