using MlNetDeep.Compute;
using MlNetDeep.Tuning;
using Xunit;

namespace MlNetDeep.Tests.Tuning;

public class GaussianProcessTests
{
    private static double Smooth(double[] x) => Math.Sin(5 * x[0]) + (x[1] * x[1]) + (0.5 * x[0] * x[1]);

    [Fact]
    public void InterpolatesNoiseFreeObservations()
    {
        var random = new RandomGenerator(4);
        var x = QuasiRandom.LatinHypercube(12, 2, random).Select(p => new[] { 0.5 * p[0], 0.5 * p[1] }).ToList();
        var y = x.Select(Smooth).ToList();
        var gp = GaussianProcess.Fit(x, y, random);
        var spread = y.Max() - y.Min();

        var maxTrainingVariance = 0.0;
        for (var i = 0; i < x.Count; i++)
        {
            var (mean, variance) = gp.Predict(x[i]);
            Assert.True(Math.Abs(mean - y[i]) < 1e-3 * spread, $"mean at point {i}: {mean:R}, observed {y[i]:R}");
            maxTrainingVariance = Math.Max(maxTrainingVariance, variance);
        }

        Assert.True(maxTrainingVariance < 1e-4 * spread * spread, $"variance at the observations {maxTrainingVariance:G3}");
        var (_, far) = gp.Predict([1.0, 1.0]);
        var (_, between) = gp.Predict([0.26, 0.24]);
        Assert.True(far > 1000 * maxTrainingVariance, $"variance far away {far:G3} vs {maxTrainingVariance:G3}");
        Assert.True(far > between, $"variance far away {far:G3} vs between points {between:G3}");
        Assert.True(gp.NoiseVariance < 1e-3, $"noise {gp.NoiseVariance:G3} on noise-free data");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(17, 3)]
    [InlineData(33, 5)]
    public void LogPosteriorGradientMatchesFiniteDifferences(int n, int dims)
    {
        var random = new RandomGenerator((n * 31) + dims);
        var x = new double[n][];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = new double[dims];
            for (var d = 0; d < dims; d++)
            {
                x[i][d] = random.NextDouble();
            }

            y[i] = random.NextGaussian();
        }

        var u = new double[dims + 2];
        for (var k = 0; k < u.Length; k++)
        {
            u[k] = (3 * random.NextDouble()) - 1.5;
        }

        var analytic = new double[u.Length];
        var scratch = new double[u.Length];
        GaussianProcess.NegativeLogPosterior(u, x, y, analytic);
        const double H = 1e-5;
        for (var k = 0; k < u.Length; k++)
        {
            var probe = (double[])u.Clone();
            probe[k] = u[k] + H;
            var plus = GaussianProcess.NegativeLogPosterior(probe, x, y, scratch);
            probe[k] = u[k] - H;
            var minus = GaussianProcess.NegativeLogPosterior(probe, x, y, scratch);
            var numeric = (plus - minus) / (2 * H);
            Assert.True(Math.Abs(analytic[k] - numeric) <= 1e-5 + (1e-4 * Math.Abs(numeric)), $"∂/∂u[{k}]: analytic {analytic[k]:G8}, numeric {numeric:G8}");
        }
    }

    [Fact]
    public void LengthScalesFollowTheRelevantDimension()
    {
        var random = new RandomGenerator(9);
        var x = QuasiRandom.LatinHypercube(20, 2, random).ToList();
        var y = x.Select(p => Math.Sin(6 * p[0])).ToList();
        var gp = GaussianProcess.Fit(x, y, random);
        Assert.True(gp.LengthScales[1] > 3 * gp.LengthScales[0], $"length scales {gp.LengthScales[0]:G3}, {gp.LengthScales[1]:G3}");
    }

    [Fact]
    public void ShiftedPriorMeanPredictsWorseValuesFarFromTheDataOnly()
    {
        // Points in one corner; far away the posterior mean falls back to the prior mean, which the shift raises.
        var x = QuasiRandom.LatinHypercube(12, 2, new RandomGenerator(4)).Select(p => new[] { 0.3 * p[0], 0.3 * p[1] }).ToList();
        var y = x.Select(Smooth).ToList();
        var average = y.Average();
        var sd = Math.Sqrt(y.Sum(v => (v - average) * (v - average)) / y.Count);
        var plain = GaussianProcess.Fit(x, y, new RandomGenerator(1));
        var shifted = GaussianProcess.Fit(x, y, new RandomGenerator(1), priorMeanShift: 1.5);

        Assert.Equal(average, plain.TargetMean, 12);
        Assert.Equal(average + (1.5 * sd), shifted.TargetMean, 12);
        for (var i = 0; i < x.Count; i++)
        {
            Assert.Equal(y[i], shifted.Predict(x[i]).Mean, 3);
        }

        var farPlain = plain.Predict([1.0, 1.0]).Mean;
        var farShifted = shifted.Predict([1.0, 1.0]).Mean;
        Assert.True(farShifted > farPlain + (0.5 * sd), $"far mean {farShifted:G4} with the shift, {farPlain:G4} without (sd {sd:G3})");
    }

    [Fact]
    public void DuplicatePointsStillFactorizeWithJitter()
    {
        // Repeated identical observations make K singular when the noise is at its floor; jitter rescues it.
        var x = new List<double[]> { new[] { 0.2, 0.3 }, new[] { 0.2, 0.3 }, new[] { 0.2, 0.3 }, new[] { 0.7, 0.1 } };
        var y = new List<double> { 1.0, 1.0, 1.0, 2.0 };
        var gp = GaussianProcess.Fit(x, y, new RandomGenerator(1));
        var (mean, variance) = gp.Predict([0.2, 0.3]);
        Assert.Equal(1.0, mean, 2);
        Assert.True(double.IsFinite(variance) && variance >= 0);
    }
}
