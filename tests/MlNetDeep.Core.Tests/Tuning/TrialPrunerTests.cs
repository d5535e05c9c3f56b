using MlNetDeep.Tuning;
using Xunit;

namespace MlNetDeep.Tests.Tuning;

public class TrialPrunerTests
{
    [Fact]
    public void CreateMakesThePrunerOfEachKind()
    {
        Assert.IsType<MedianPruner>(TrialPruner.Create(TrialPruning.Median));
        Assert.IsType<SuccessiveHalvingPruner>(TrialPruner.Create(TrialPruning.SuccessiveHalving));
        var none = TrialPruner.Create(TrialPruning.None);
        Assert.False(none.CanPrune);
        Assert.True(TrialPruner.Create(TrialPruning.Median).CanPrune);
        Assert.Contains("Received: pruning=7", Assert.Throws<ArgumentOutOfRangeException>(() => TrialPruner.Create((TrialPruning)7)).Message);

        // Without pruning every learning curve runs to the end, diverging ones too.
        Assert.All(LearningCurves.Run(none, LearningCurves.Finals()), p => Assert.Null(p));
        Assert.False(none.Report(100, 1, double.NaN));
        Assert.Equal(LearningCurves.Loss(0, LearningCurves.Epochs), none.BestValue(20), 12);
    }

    [Fact]
    public void BestValueIsTheLowestReportedAndResetForgetsEverything()
    {
        var pruner = new MedianPruner(new MedianPruner.Options { StartupTrials = 1, WarmupSteps = 0 });
        Assert.True(double.IsNaN(pruner.BestValue(0)));
        pruner.Report(0, 1, 3);
        pruner.Report(0, 2, 1);
        pruner.Report(0, 3, 2);
        pruner.Complete(0);
        Assert.Equal(1, pruner.BestValue(0));
        Assert.True(pruner.Report(1, 3, 5));
        Assert.Throws<InvalidOperationException>(() => pruner.Complete(1));
        Assert.True(pruner.IsPruned(1));

        pruner.Reset();
        Assert.False(pruner.IsPruned(1));
        Assert.True(double.IsNaN(pruner.BestValue(0)));
        Assert.False(pruner.Report(1, 3, 5));
    }
}
