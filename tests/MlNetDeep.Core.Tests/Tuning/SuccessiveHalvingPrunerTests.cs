using MlNetDeep.Tuning;
using Xunit;

namespace MlNetDeep.Tests.Tuning;

public class SuccessiveHalvingPrunerTests
{
    [Fact]
    public void RungsFollowAGeometricSeries()
    {
        var pruner = new SuccessiveHalvingPruner();
        Assert.Equal([1L, 3, 9, 27, 81], Enumerable.Range(0, 5).Select(pruner.RungStep));
        var custom = new SuccessiveHalvingPruner(new SuccessiveHalvingPruner.Options { MinResource = 2, ReductionFactor = 4 });
        Assert.Equal([2L, 8, 32], Enumerable.Range(0, 3).Select(custom.RungStep));
    }

    [Fact]
    public void KeepsTheTopThirdOfTheTrialsThatReachedARung()
    {
        // Rung at step 1 only (the next is at 3): each trial reports one value and is ranked among all so far.
        var pruner = new SuccessiveHalvingPruner();
        double[] values = [5, 3, 4, 1, 2, 2.5, 1.5, 0.5, 6];

        // n < 3: only a new lowest value is promoted; n = 6: the 2 lowest; n = 9: the 3 lowest.
        bool[] expected = [false, false, true, false, true, true, false, false, true];
        for (var trial = 0; trial < values.Length; trial++)
        {
            Assert.Equal(expected[trial], pruner.Report(trial, 1, values[trial]));
        }

        // Promoted trials are ranked again at the rung at step 3, against the trials that reached it before them.
        Assert.False(pruner.Report(0, 2, 5));
        Assert.False(pruner.Report(0, 3, 5));
        Assert.False(pruner.Report(3, 3, 0.9));
        Assert.False(pruner.Report(7, 3, 0.4));
        Assert.True(pruner.Report(1, 3, 3));
        Assert.Equal(3, pruner.PrunedAtStep(1));
        Assert.Equal(3, pruner.BestValue(1));
    }

    [Fact]
    public void ReportsThatSkipRungsAreRankedAtEachRungPassed()
    {
        var pruner = new SuccessiveHalvingPruner();
        Assert.False(pruner.Report(0, 10, 1.0));
        Assert.False(pruner.Report(1, 10, 0.5));

        // Trial 2 passes rungs 1, 3 and 9 in one report: 0.7 is not the lowest at rung 1.
        Assert.True(pruner.Report(2, 10, 0.7));
        Assert.Equal(10, pruner.PrunedAtStep(2));
    }

    [Fact]
    public void StopsTheBadLearningCurvesAndKeepsTheBest()
    {
        var finals = LearningCurves.Finals();
        var prunedAt = LearningCurves.Run(new SuccessiveHalvingPruner(), finals);
        var completed = Enumerable.Range(0, finals.Length).Where(t => prunedAt[t] is null).ToList();

        // The best trial (20) runs to the end; most trials stop at the first rungs.
        Assert.Contains(20, completed);
        Assert.All(prunedAt.Where(p => p is not null), p => Assert.Contains(p!.Value, new[] { 1, 3, 9, 27 }));
        Assert.True(completed.Count <= 6, $"{completed.Count} trials completed: {string.Join(", ", completed)}");
        var epochs = prunedAt.Sum(p => p ?? LearningCurves.Epochs);
        Assert.True(epochs < finals.Length * LearningCurves.Epochs / 3, $"{epochs} epochs of {finals.Length * LearningCurves.Epochs}");

        // After the first trials (judged against few), every trial in the worse half stops at the first rung.
        Assert.All(Enumerable.Range(9, finals.Length - 9).Where(t => finals[t] > 1.3), t => Assert.Equal(1, prunedAt[t]));
        Assert.Equal(1, prunedAt[5]);
    }

    [Fact]
    public void RejectsInvalidOptions()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SuccessiveHalvingPruner(new SuccessiveHalvingPruner.Options { ReductionFactor = 1 }));
        Assert.Contains("Received: ReductionFactor=1", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SuccessiveHalvingPruner(new SuccessiveHalvingPruner.Options { MinResource = 0 }));
    }
}
