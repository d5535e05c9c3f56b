using MlNetDeep.Tuning;
using Xunit;

namespace MlNetDeep.Tests.Tuning;

public class MedianPrunerTests
{
    [Fact]
    public void StopsTrialsWorseThanTheMedianOfCompletedOnesAfterTheWarmUp()
    {
        var finals = LearningCurves.Finals();
        var prunedAt = LearningCurves.Run(new MedianPruner(), finals);

        // The first 5 trials complete (startup); after that a trial is stopped at step 4, the first after the
        // 3 warm-up steps, exactly when it is worse than the median of the trials completed before it (the curves
        // never cross, so its rank at step 4 is its final rank).
        Assert.All(prunedAt.Take(MedianPruner.Options.Defaults.StartupTrials), p => Assert.Null(p));
        var completed = finals.Take(5).ToList();
        for (var trial = 5; trial < finals.Length; trial++)
        {
            var sorted = completed.Order().ToList();
            var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : 0.5 * (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]);
            if (finals[trial] > median)
            {
                Assert.Equal(4, prunedAt[trial]);
            }
            else
            {
                Assert.Null(prunedAt[trial]);
                completed.Add(finals[trial]);
            }
        }

        Assert.Null(prunedAt[20]);
        Assert.Equal(4, prunedAt[5]);
        Assert.Equal(13, prunedAt.Count(p => p is not null));
        Assert.All(Enumerable.Range(0, finals.Length).Where(t => prunedAt[t] is not null), t => Assert.True(finals[t] >= 1.0, $"trial {t}, final {finals[t]}"));
    }

    [Fact]
    public void ComparesTheBestValueSoFarWithCompletedTrialsAtTheSameStep()
    {
        var pruner = new MedianPruner(new MedianPruner.Options { StartupTrials = 2, WarmupSteps = 0 });
        Report(pruner, 0, 10, 8, 6);
        pruner.Complete(0);
        Report(pruner, 1, 12, 9, 7);
        pruner.Complete(1);

        // Step 1: best 11 against the median of 10 and 12 (11) is not worse; step 2: 10 against 8.5 is.
        Assert.False(pruner.Report(2, 1, 11));
        Assert.True(pruner.Report(2, 2, 10));
        Assert.Equal(2, pruner.PrunedAtStep(2));
        Assert.Equal(10, pruner.BestValue(2));
        Assert.True(pruner.Report(2, 3, 1));

        // The best value so far counts, not the last: 8 at step 3 is worse than 6.5, but 6 at step 2 is not.
        Assert.False(pruner.Report(3, 1, 9));
        Assert.False(pruner.Report(3, 2, 6));
        Assert.False(pruner.Report(3, 3, 8));
        Assert.False(pruner.IsPruned(3));
        Assert.Equal(6, pruner.BestValue(3));

        // Steps no completed trial reached, and trials still running, do not count.
        Assert.False(pruner.Report(4, 1, 10.5));
        Assert.False(pruner.Report(4, 5, 50));
        Assert.True(pruner.Report(5, 1, double.NaN));
    }

    [Fact]
    public void WaitsForTheStartupTrialsAndTheWarmUpSteps()
    {
        var pruner = new MedianPruner(new MedianPruner.Options { StartupTrials = 2, WarmupSteps = 2 });
        Report(pruner, 0, 1, 1, 1, 1);
        pruner.Complete(0);
        Assert.False(pruner.Report(1, 3, 100));
        pruner.Complete(1);
        Assert.False(pruner.Report(2, 1, 100));
        Assert.False(pruner.Report(2, 2, 100));
        Assert.True(pruner.Report(2, 3, 100));
    }

    [Fact]
    public void RejectsInvalidOptionsAndSteps()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MedianPruner(new MedianPruner.Options { StartupTrials = 0 }));
        Assert.Contains("Received: StartupTrials=0", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MedianPruner(new MedianPruner.Options { WarmupSteps = -1 }));
        var pruner = new MedianPruner();
        pruner.Report(0, 2, 1);
        Assert.Contains("Received: step=2", Assert.Throws<ArgumentOutOfRangeException>(() => pruner.Report(0, 2, 1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => pruner.Report(1, 0, 1));
        pruner.Complete(0);
        Assert.Throws<InvalidOperationException>(() => pruner.Report(0, 3, 1));
    }

    private static void Report(TrialPruner pruner, int trial, params double[] values)
    {
        for (var step = 1; step <= values.Length; step++)
        {
            Assert.False(pruner.Report(trial, step, values[step - 1]));
        }
    }
}
