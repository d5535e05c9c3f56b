using MlNetDeep.Training;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void ConstantKeepsTheBaseRate()
    {
        var schedule = new ConstantSchedule(0.01);
        Assert.Equal(0.01, schedule.LearningRate(0));
        schedule.Report(0, 5.0);
        Assert.Equal(0.01, schedule.LearningRate(1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.LearningRate(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(0));
    }

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(2, 0.1)]
    [InlineData(3, 0.05)]
    [InlineData(5, 0.05)]
    [InlineData(6, 0.025)]
    [InlineData(10, 0.0125)]
    public void StepDecayHalvesEveryThreeEpochs(int epoch, double expected) =>
        AssertClose.Scalar(expected, new StepDecaySchedule(0.1, 0.5, 3).LearningRate(epoch), rtol: 1e-12);

    [Theory]
    [InlineData(0, 0.2)]
    [InlineData(1, 0.18)]
    [InlineData(2, 0.162)]
    [InlineData(10, 0.06973568802)]
    public void ExponentialDecayMultipliesEveryEpoch(int epoch, double expected) =>
        AssertClose.Scalar(expected, new ExponentialDecaySchedule(0.2, 0.9).LearningRate(epoch), rtol: 1e-9);

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(5, 0.055)]
    [InlineData(10, 0.01)]
    [InlineData(20, 0.01)]
    public void CosineAnnealsToTheMinimum(int epoch, double expected) =>
        AssertClose.Scalar(expected, new CosineAnnealingSchedule(0.1, totalEpochs: 10, minLearningRate: 0.01).LearningRate(epoch), rtol: 1e-12);

    [Fact]
    public void CosineWarmsUpLinearlyThenAnneals()
    {
        var schedule = new CosineAnnealingSchedule(0.4, totalEpochs: 14, minLearningRate: 0, warmupEpochs: 4);
        AssertClose.Scalar(0.1, schedule.LearningRate(0), rtol: 1e-12);
        AssertClose.Scalar(0.2, schedule.LearningRate(1), rtol: 1e-12);
        AssertClose.Scalar(0.4, schedule.LearningRate(3), rtol: 1e-12);
        AssertClose.Scalar(0.4, schedule.LearningRate(4), rtol: 1e-12);
        AssertClose.Scalar(0.2, schedule.LearningRate(9), rtol: 1e-12);               // half-way through 10 annealing epochs
        AssertClose.Scalar(0.2 * (1 + Math.Cos(Math.PI * 0.9)), schedule.LearningRate(13), rtol: 1e-12);
        Assert.Equal(0.0, schedule.LearningRate(14));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingSchedule(0.1, 5, warmupEpochs: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingSchedule(0.1, 5, minLearningRate: 0.2));
    }

    [Theory]
    [InlineData(0, 0.1)]                                     // first epoch
    [InlineData(5, 0.1)]
    [InlineData(6, 0.1)]                                     // last flat epoch: progress 6/12 = the flat fraction
    [InlineData(7, 0.09330127018922193)]                     // (1 + cos(π/6))/2
    [InlineData(9, 0.05)]                                    // the middle of the decay
    [InlineData(11, 0.006698729810778065)]                   // last epoch: (1 − cos(π/6))/2
    [InlineData(12, 0.0)]                                    // where training ends, the rate reaches 0
    [InlineData(40, 0.0)]
    public void FlatCosineKeepsTheBaseRateForHalfTheEpochsThenDecaysToZero(int epoch, double expected) =>
        AssertClose.Scalar(expected, new FlatCosineSchedule(0.1, totalEpochs: 12, flatFraction: 0.5).LearningRate(epoch), rtol: 1e-12, atol: 0);

    [Fact]
    public void FlatCosineHandlesOddLengthsOtherFractionsAndValidatesItsArguments()
    {
        // Five epochs: progress 0, 0.2, 0.4 are flat; 0.6 and 0.8 are a fifth and three fifths into the decay.
        var odd = new FlatCosineSchedule(2.0, totalEpochs: 5, flatFraction: 0.5);
        double[] expected = [2.0, 2.0, 2.0, 1 + Math.Cos(Math.PI * 0.2), 1 + Math.Cos(Math.PI * 0.6), 0.0];
        for (var epoch = 0; epoch < expected.Length; epoch++)
        {
            AssertClose.Scalar(expected[epoch], odd.LearningRate(epoch), rtol: 1e-12, atol: 1e-15, what: $"epoch {epoch}");
        }

        // Without a flat part it is cosine annealing to 0.
        var cosine = new CosineAnnealingSchedule(0.3, totalEpochs: 9);
        var noFlat = new FlatCosineSchedule(0.3, totalEpochs: 9, flatFraction: 0);
        for (var epoch = 0; epoch <= 10; epoch++)
        {
            AssertClose.Scalar(cosine.LearningRate(epoch), noFlat.LearningRate(epoch), rtol: 1e-12, atol: 1e-15, what: $"epoch {epoch}");
        }

        // One epoch trains at the base rate; the rate never rises.
        Assert.Equal(0.5, new FlatCosineSchedule(0.5, totalEpochs: 1, flatFraction: 0.5).LearningRate(0));
        var hundred = new FlatCosineSchedule(1.0, totalEpochs: 100, flatFraction: 0.5);
        for (var epoch = 1; epoch <= 100; epoch++)
        {
            Assert.True(hundred.LearningRate(epoch) <= hundred.LearningRate(epoch - 1), $"epoch {epoch} raised the rate");
        }

        AssertClose.Scalar((1 - Math.Cos(Math.PI / 50)) / 2, hundred.LearningRate(99), rtol: 1e-12);
        Assert.Equal((100, 0.5), (hundred.TotalEpochs, hundred.FlatFraction));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlatCosineSchedule(0.1, 10, flatFraction: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlatCosineSchedule(0.1, 10, flatFraction: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlatCosineSchedule(0.1, 10, flatFraction: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlatCosineSchedule(0.1, 0, flatFraction: 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlatCosineSchedule(0, 10, flatFraction: 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => hundred.LearningRate(-1));
    }

    [Fact]
    public void ReduceOnPlateauFollowsAScriptedLossSequence()
    {
        var schedule = new ReduceOnPlateauSchedule(1.0, factor: 0.5, patience: 2, minLearningRate: 0.2, threshold: 0.01);
        // epoch:                0    1    2      3    4    5    6    7    8    9    10   11   12
        double[] losses =     [1.0, 0.9, 0.895, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8];
        double[] rateAfter =  [1.0, 1.0, 1.0,   1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2];
        for (var epoch = 0; epoch < losses.Length; epoch++)
        {
            schedule.Report(epoch, losses[epoch]);
            AssertClose.Scalar(rateAfter[epoch], schedule.LearningRate(epoch + 1), rtol: 1e-12, what: $"rate after epoch {epoch}");
        }

        // 0.895 is not 1% better than 0.9: epochs 2, 3, 4 are bad and the third one reduces.
        Assert.Equal(0.8, schedule.BestLoss);
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.Report(5, 0.1));
    }

    [Fact]
    public void ReduceOnPlateauCooldownDelaysCounting()
    {
        var schedule = new ReduceOnPlateauSchedule(1.0, factor: 0.1, patience: 0, cooldown: 2);
        schedule.Report(0, 1.0);
        Assert.Equal(1.0, schedule.LearningRate(1));
        schedule.Report(1, 1.0);                                 // bad, patience 0: reduce, cool down 2 epochs
        AssertClose.Scalar(0.1, schedule.LearningRate(2), rtol: 1e-12);
        schedule.Report(2, 1.0);
        schedule.Report(3, 1.0);
        AssertClose.Scalar(0.1, schedule.LearningRate(4), rtol: 1e-12);
        schedule.Report(4, 1.0);                                 // cooldown over: reduce again
        AssertClose.Scalar(0.01, schedule.LearningRate(5), rtol: 1e-12);
    }
}
