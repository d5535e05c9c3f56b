using System.Reflection;
using Microsoft.ML;

namespace MlNetDeep.Tests.Internal;

/// <summary>
/// Pins the Microsoft.ML release whose internals src/MlNetDeep/Internal is written and tested against. The internals
/// (model save/load contexts, loadable classes, prediction transformer constructors, value mappers) carry no
/// compatibility promise, so a different release must pass tests/MlNetDeep.Tests/Internal before
/// <see cref="SupportedVersion"/> moves (with the version named in src/MlNetDeep/MlNetDeep.csproj and eng/Publicizer).
/// </summary>
public class SupportedMlNetTests
{
    /// <summary>The supported Microsoft.ML package version.</summary>
    public const string SupportedVersion = "5.0.1";

    [Fact]
    public void LoadedMicrosoftMlIsTheSupportedRelease()
    {
        var loaded = LoadedVersion();
        Assert.True(
            loaded == SupportedVersion,
            $"Microsoft.ML {loaded} is loaded, but src/MlNetDeep/Internal uses ML.NET internals verified only for {SupportedVersion}. " +
            "Run tests/MlNetDeep.Tests/Internal against the new release, fix what breaks, then update SupportedVersion.");
    }

    /// <summary>The Microsoft.ML package version loaded at run time, read from its informational version (e.g. <c>5.0.1+commit</c>).</summary>
    private static string LoadedVersion()
    {
        var informational = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
