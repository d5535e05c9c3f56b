using MlNetDeep.Internal;

namespace MlNetDeep.Tests.Internal;

public class SupportedMlNetTests
{
    [Fact]
    public void LoadedMicrosoftMlIsTheSupportedRelease()
    {
        Assert.True(
            SupportedMlNet.LoadedVersion == SupportedMlNet.Version,
            $"Microsoft.ML {SupportedMlNet.LoadedVersion} is loaded, but src/MlNetDeep/Internal uses ML.NET internals verified only for {SupportedMlNet.Version}. " +
            "Run tests/MlNetDeep.Tests/Internal against the new release, fix what breaks, then update SupportedMlNet.Version.");
    }
}
