using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Training;

public class EarlyStoppingTests
{
    [Fact]
    public void StopsAfterPatienceEpochsWithoutImprovementAndKeepsTheBestEpoch()
    {
        var stopping = new EarlyStopping(patience: 3, minDelta: 0.01);
        double[] losses = [1.0, 0.8, 0.795, 0.7, 0.71, 0.695, 0.69, 0.75];
        bool[] improved = [true, true, false, true, false, false, false, false];
        bool[] stop = [false, false, false, false, false, false, true, true];
        for (var epoch = 0; epoch < losses.Length; epoch++)
        {
            Assert.Equal(improved[epoch], stopping.Report(epoch, losses[epoch]));
            Assert.Equal(stop[epoch], stopping.ShouldStop);
        }

        Assert.Equal(3, stopping.BestEpoch);
        Assert.Equal(0.7, stopping.BestLoss);
        Assert.Equal(4, stopping.EpochsWithoutImprovement);
    }

    [Fact]
    public void ImprovementResetsTheCount()
    {
        var stopping = new EarlyStopping(patience: 2);
        Assert.Equal(-1, stopping.BestEpoch);
        Assert.True(stopping.Report(0, 2.0));
        Assert.False(stopping.Report(1, 2.0));
        Assert.True(stopping.Report(2, 1.9));
        Assert.False(stopping.Report(3, 1.95));
        Assert.False(stopping.ShouldStop);
        Assert.False(stopping.Report(4, double.NaN));
        Assert.True(stopping.ShouldStop);
        Assert.Equal(2, stopping.BestEpoch);
        Assert.Throws<ArgumentOutOfRangeException>(() => stopping.Report(4, 1.0));
    }

    [Fact]
    public void ZeroPatienceStopsAtTheFirstEpochWithoutImprovement()
    {
        var stopping = new EarlyStopping(patience: 0);
        Assert.True(stopping.Report(0, 1.0));
        Assert.False(stopping.ShouldStop);
        Assert.False(stopping.Report(1, 1.0));
        Assert.True(stopping.ShouldStop);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(1, -0.1));
    }

    [Fact]
    public void EqualPrimaryScoresAreDecidedByTheSecondary()
    {
        var stopping = new EarlyStopping(2);
        Assert.True(stopping.Report(1, -0.90, 0.5));
        Assert.True(stopping.Report(2, -0.90, 0.4));
        Assert.False(stopping.Report(3, -0.90, 0.45));
        Assert.True(stopping.Report(4, -0.92, 0.9));
        Assert.False(stopping.Report(5, -0.91, 0.1));
        Assert.Equal(4, stopping.BestEpoch);
        Assert.False(stopping.ShouldStop);
        Assert.False(stopping.Report(6, -0.92, 0.95));
        Assert.True(stopping.ShouldStop);
    }
}
