// The ML.NET assemblies whose internals this assembly uses (verified Microsoft.ML releases: 5.0.1 and 6.0.0).
// Keep this list in step with the publicized references in eng/Publicizer/MlNetInternals.targets; the test fixtures
// (tests/MlNetDeep.Tests.Fixtures) compile this file too.
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Data")]
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.StandardTrainers")]

namespace System.Runtime.CompilerServices;

/// <summary>
/// Tells the .NET runtime to skip access checks when this assembly uses non-public members of the named
/// assembly. The runtime recognises the attribute by its full name; it is not part of the public framework
/// surface, so each consuming assembly declares its own copy.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
internal sealed class IgnoresAccessChecksToAttribute : Attribute
{
    /// <summary>Creates the attribute for one assembly.</summary>
    /// <param name="assemblyName">The simple name of the assembly whose internals are used.</param>
    public IgnoresAccessChecksToAttribute(string assemblyName)
    {
        AssemblyName = assemblyName;
    }

    /// <summary>The simple name of the assembly whose internals are used.</summary>
    public string AssemblyName { get; }
}
