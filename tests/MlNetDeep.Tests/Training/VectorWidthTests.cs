using MlNetDeep.Tests.Internal;
using Xunit.Abstractions;

namespace MlNetDeep.Tests.Training;

/// <summary>
/// The same seed trains the same network whatever vector width the processor offers: dropout masks do not depend on
/// the width, so only the rounding of fused and unfused multiply-adds differs. Each width is switched off in a fresh
/// process through the runtime's own settings (on a processor without that width, both runs take the same path).
/// </summary>
public class VectorWidthTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("DOTNET_EnableAVX512")]
    [InlineData("DOTNET_EnableAVX2")]
    public void ANarrowerVectorWidthTrainsTheSameNetworkUpToRounding(string setting)
    {
        var here = VectorWidthScenario.TrainedParameters();

        var narrower = FreshProcess.RunAndReadFloats(new Dictionary<string, string> { [setting] = "0" }, "train-dropout");

        Assert.Equal(here.Length, narrower.Length);
        double difference = 0, norm = 0;
        for (var i = 0; i < here.Length; i++)
        {
            difference += Math.Pow(here[i] - narrower[i], 2);
            norm += Math.Pow(here[i], 2);
        }

        var relative = Math.Sqrt(difference / norm);
        output.WriteLine($"{setting}=0: relative L2 difference of the parameters {relative:G3}");
        // Different dropout masks move the parameters by percents after three epochs; rounding alone by about 1e-7.
        Assert.True(relative < 1e-5, $"relative difference {relative:G3}");
    }
}
