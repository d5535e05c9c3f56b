using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Training;

public class TrainingSettingsTests
{
    public static TheoryData<string, Func<TrainingSettings, TrainingSettings>, string> BadSettings => new()
    {
        { "Beta1", s => s with { Beta1 = 1f }, "Received: Beta1=1." },
        { "Beta1", s => s with { Beta1 = -0.5f }, "Received: Beta1=-0.5." },
        { "Beta1", s => s with { Beta1 = float.NaN }, "Received: Beta1=NaN." },
        { "Beta2", s => s with { Beta2 = 1f }, "Received: Beta2=1." },
        { "Beta2", s => s with { Beta2 = 1.5f }, "Received: Beta2=1.5." },
        { "LabelSmoothing", s => s with { LabelSmoothing = 1f }, "Received: LabelSmoothing=1." },
        { "LabelSmoothing", s => s with { LabelSmoothing = -0.1f }, "Received: LabelSmoothing=-0.1." },
        { "LabelSmoothing", s => s with { LabelSmoothing = float.NaN }, "Received: LabelSmoothing=NaN." },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void ABadValueIsRejectedNamingTheSettingAndTheValue(string setting, Func<TrainingSettings, TrainingSettings> spoil, string received)
    {
        var error = Assert.Throws<ArgumentException>(() => spoil(new TrainingSettings()).Validate());
        Assert.StartsWith(setting + " must be in [0, 1).", error.Message, StringComparison.Ordinal);
        Assert.Contains(received, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultsAreTheSharedOnesAndTheEdgesOfTheRangesAreAccepted()
    {
        var settings = new TrainingSettings();
        Assert.Equal((TrainingDefaults.Beta1, TrainingDefaults.Beta2), (settings.Beta1, settings.Beta2));
        Assert.Equal((0.9f, 0.999f), (settings.Beta1, settings.Beta2));
        Assert.Equal(0f, settings.LabelSmoothing);
        (settings with { Beta1 = 0f, Beta2 = MathF.BitDecrement(1f), LabelSmoothing = MathF.BitDecrement(1f) }).Validate();
    }
}
