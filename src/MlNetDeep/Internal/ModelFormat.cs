using Microsoft.ML;

namespace MlNetDeep.Internal;

/// <summary>
/// The identity and version range of one persisted MlNetDeep type inside an ML.NET model .zip
/// (ML.NET calls this <c>VersionInfo</c>). Validates the rules ML.NET does not check when saving but
/// that make a file unreadable: an 8-character model signature, a loader signature of at most
/// 24 characters, and a loader assembly name (how a fresh process finds the loader without any
/// <c>RegisterAssembly</c> call).
/// </summary>
internal sealed class ModelFormat
{
    /// <summary>Length ML.NET requires of a model signature.</summary>
    public const int ModelSignatureLength = 8;

    /// <summary>Longest loader signature ML.NET can store.</summary>
    public const int MaxLoaderSignatureLength = 24;

    /// <summary>Describes one persisted type.</summary>
    /// <param name="modelSignature">Exactly 8 ASCII characters identifying the stream, e.g. <c>"MLNDLINS"</c>.</param>
    /// <param name="versionWritten">The version this code writes.</param>
    /// <param name="versionReadable">The oldest reader version able to read what this code writes.</param>
    /// <param name="versionWeCanReadBack">The oldest written version this code can read.</param>
    /// <param name="loaderSignature">The name the <c>LoadableClass</c> attribute registers, at most 24 characters.</param>
    /// <param name="loaderAssemblyName">The assembly that holds the loader (usually <c>typeof(T).Assembly.FullName</c>).</param>
    public ModelFormat(string modelSignature, uint versionWritten, uint versionReadable, uint versionWeCanReadBack, string loaderSignature, string loaderAssemblyName)
    {
        ArgumentNullException.ThrowIfNull(modelSignature);
        ArgumentNullException.ThrowIfNull(loaderSignature);
        ArgumentException.ThrowIfNullOrEmpty(loaderAssemblyName);
        if (modelSignature.Length != ModelSignatureLength || !modelSignature.All(char.IsAscii))
        {
            throw new ArgumentException($"A model signature must be exactly {ModelSignatureLength} ASCII characters; received '{modelSignature}' ({modelSignature.Length} characters).", nameof(modelSignature));
        }

        if (loaderSignature.Length == 0 || loaderSignature.Length > MaxLoaderSignatureLength)
        {
            throw new ArgumentException($"A loader signature must have 1 to {MaxLoaderSignatureLength} characters; received '{loaderSignature}' ({loaderSignature.Length} characters).", nameof(loaderSignature));
        }

        if (versionReadable > versionWritten || versionWeCanReadBack > versionWritten)
        {
            throw new ArgumentException($"Versions must satisfy readable <= written and weCanReadBack <= written; received written=0x{versionWritten:X8}, readable=0x{versionReadable:X8}, weCanReadBack=0x{versionWeCanReadBack:X8}.", nameof(versionReadable));
        }

        ModelSignature = modelSignature;
        VersionWritten = versionWritten;
        VersionReadable = versionReadable;
        VersionWeCanReadBack = versionWeCanReadBack;
        LoaderSignature = loaderSignature;
        LoaderAssemblyName = loaderAssemblyName;
    }

    /// <summary>The 8-character model signature.</summary>
    public string ModelSignature { get; }

    /// <summary>The version this code writes.</summary>
    public uint VersionWritten { get; }

    /// <summary>The oldest reader version able to read what this code writes.</summary>
    public uint VersionReadable { get; }

    /// <summary>The oldest written version this code can read.</summary>
    public uint VersionWeCanReadBack { get; }

    /// <summary>The name registered by the type's <c>LoadableClass</c> attribute.</summary>
    public string LoaderSignature { get; }

    /// <summary>The full name of the assembly that holds the loader.</summary>
    public string LoaderAssemblyName { get; }

    /// <summary>The ML.NET form of this description.</summary>
    internal VersionInfo ToVersionInfo()
        => new(ModelSignature, VersionWritten, VersionReadable, VersionWeCanReadBack, LoaderAssemblyName, LoaderSignature);
}
