using Microsoft.ML;

namespace MlNetDeep.Internal;

/// <summary>
/// The only place MlNetDeep reads and writes ML.NET's model contexts (verified Microsoft.ML releases: 5.0.1 and 6.0.0;
/// these members are internal to ML.NET and reached through the publicized references, so a change in
/// ML.NET fails the tests in <c>tests/MlNetDeep.Tests/Internal</c>).
/// A persisted type calls <see cref="WriteHeader"/> then <see cref="WriteStream"/> in its save method, and
/// <see cref="ReadHeader"/> (first of all) then <see cref="ReadStream"/> in its load constructor.
/// </summary>
internal static class ModelPersistence
{
    /// <summary>
    /// Stamps the model being saved with <paramref name="format"/>. A save method that writes nothing else leaves
    /// an unreadable model, so always follow with at least one <see cref="WriteStream"/> or writer call.
    /// In a <c>ModelParametersBase</c> subclass call it after <c>base.SaveCore</c>, which has already checked the context.
    /// </summary>
    public static void WriteHeader(ModelSaveContext context, ModelFormat format)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(format);
        context.SetVersionInfo(format.ToVersionInfo());
    }

    /// <summary>
    /// Checks that <paramref name="context"/> holds a model of <paramref name="format"/> in a version this code reads,
    /// and returns the context. It must run before anything is read, so in a <c>ModelParametersBase</c> subclass
    /// call it in the base-constructor argument: <c>: base(env, name, ModelPersistence.ReadHeader(context, Format))</c>.
    /// </summary>
    public static ModelLoadContext ReadHeader(ModelLoadContext context, ModelFormat format)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(format);
        context.CheckAtModel(format.ToVersionInfo());
        return context;
    }

    /// <summary>The version the model being loaded was written with (to read older layouts).</summary>
    public static uint VersionWritten(ModelLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
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
