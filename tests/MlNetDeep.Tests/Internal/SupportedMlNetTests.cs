using System.Reflection;
using Microsoft.ML;

namespace MlNetDeep.Tests.Internal;

/// <summary>
/// Pins the Microsoft.ML releases whose internals src/MlNetDeep/Internal is written and tested against. The internals
/// (model save/load contexts, loadable classes, prediction transformer constructors, value mappers) carry no
/// compatibility promise, so a new release must pass the whole suite (tests/MlNetDeep.Tests/Internal above all) before
/// it joins <see cref="VerifiedVersions"/> (and MlNetDeepVerifiedMlNetVersions in eng/Publicizer/MlNetInternals.targets).
/// </summary>
public class SupportedMlNetTests
{
    /// <summary>The verified Microsoft.ML package versions.</summary>
    public static readonly string[] VerifiedVersions = ["5.0.1", "6.0.0"];

    [Fact]
    public void LoadedMicrosoftMlIsAVerifiedRelease()
    {
        var loaded = LoadedVersion();
        Assert.True(
            VerifiedVersions.Contains(loaded),
            $"Microsoft.ML {loaded} is loaded, but src/MlNetDeep/Internal uses ML.NET internals verified only for {string.Join(", ", VerifiedVersions)}. " +
            "Run the whole test suite against the new release, fix what breaks, then add it to VerifiedVersions.");
    }

    /// <summary>The Microsoft.ML package version loaded at run time, read from its informational version (e.g. <c>5.0.1+commit</c>).</summary>
    private static string LoadedVersion()
    {
        var informational = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
