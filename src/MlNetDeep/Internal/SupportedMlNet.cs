using System.Reflection;
using Microsoft.ML;

namespace MlNetDeep.Internal;

/// <summary>
/// The Microsoft.ML release whose internals src/MlNetDeep/Internal is written and tested against. The internals
/// (model save/load contexts, loadable classes, prediction transformer constructors, value mappers) carry no
/// compatibility promise, so a different release must pass tests/MlNetDeep.Tests/Internal before this value moves.
/// </summary>
internal static class SupportedMlNet
{
    /// <summary>The supported Microsoft.ML package version.</summary>
    public const string Version = "5.0.1";

    /// <summary>The Microsoft.ML package version loaded at run time, read from its informational version (e.g. <c>5.0.1+commit</c>).</summary>
    public static string LoadedVersion
    {
        get
        {
            var informational = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }
    }
}
