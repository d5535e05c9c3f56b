using MlNetDeep.Compute;
using MlNetDeep.Tuning;
using Xunit;
using Xunit.Abstractions;

namespace MlNetDeep.Tests.Tuning;

/// <summary>
/// Bayesian optimization against random search at the same budget, averaged over seeds: the mean simple
/// regret (best value found minus the known minimum) must be clearly lower.
/// </summary>
public class OptimizerComparisonTests(ITestOutputHelper output)
{
    [Fact]
    public void BraninRegretIsClearlyLowerThanRandomSearch()
    {
        var (bayes, random) = MeanRegrets(TestFunctions.BraninSpace, TestFunctions.Branin, TestFunctions.Branin, TestFunctions.BraninMinimum, trials: 25, seeds: 4);
        Assert.True(bayes < 0.25 * random, $"Branin: Bayesian regret {bayes:G4}, random {random:G4}.");
        Assert.True(bayes < 0.1, $"Branin: Bayesian regret {bayes:G4}.");
    }

    [Fact]
    public void Hartmann6RegretIsClearlyLowerThanRandomSearch()
    {
        var (bayes, random) = MeanRegrets(TestFunctions.Hartmann6Space, TestFunctions.Hartmann6, TestFunctions.Hartmann6, TestFunctions.Hartmann6Minimum, trials: 35, seeds: 3);
        Assert.True(bayes < 0.35 * random, $"Hartmann-6: Bayesian regret {bayes:G4}, random {random:G4}.");
    }

    [Theory]
    [InlineData("levy4")]
    [InlineData("ackley4")]
    public void MultimodalRegretIsClearlyLowerThanRandomSearch(string name)
    {
        // Functions with many local minima, where expected improvement alone tends to settle in one basin.
        var problem = TestFunctions.Find(name);
        var (bayes, random) = MeanRegrets(problem.Space, problem.Evaluate, problem.Evaluate, problem.Minimum, trials: 30, seeds: 6);
        Assert.True(bayes < 0.5 * random, $"{name}: Bayesian regret {bayes:G4}, random {random:G4}.");
    }

    [Fact]
    public void NoisyMixedSpaceRegretIsClearlyLowerThanRandomSearch()
    {
        // Observations carry Gaussian noise (σ = 0.1); regret is measured on the noise-free value of the
        // parameters each search reports as best.
        var (bayes, random) = MeanRegrets(TestFunctions.MixedSpace, Noisy, TestFunctions.MixedTrue, 0, trials: 25, seeds: 4);
        Assert.True(bayes < 0.6 * random, $"Noisy: Bayesian regret {bayes:G4}, random {random:G4}.");

        static Func<ParameterSet, double> Noisy(int seed)
        {
            var noise = new RandomGenerator(1000 + seed);
            return p => TestFunctions.MixedTrue(p) + (0.1 * noise.NextGaussian());
        }
    }

    private (double Bayes, double Random) MeanRegrets(Func<SearchSpace> space, Func<ParameterSet, double> objective, Func<ParameterSet, double> truth, double minimum, int trials, int seeds) =>
        MeanRegrets(space, _ => objective, truth, minimum, trials, seeds);

    private (double Bayes, double Random) MeanRegrets(Func<SearchSpace> space, Func<int, Func<ParameterSet, double>> objective, Func<ParameterSet, double> truth, double minimum, int trials, int seeds)
    {
        double bayes = 0, random = 0;
        for (var seed = 0; seed < seeds; seed++)
        {
            var b = new BayesianOptimizer(space(), seed).Minimize(objective(seed), trials);
            var r = new RandomSearchOptimizer(space(), seed).Minimize(objective(seed), trials);
            var rb = truth(b.BestParameters!) - minimum;
            var rr = truth(r.BestParameters!) - minimum;
            output.WriteLine($"seed {seed}: Bayesian regret {rb:G4} ({b.Elapsed.TotalMilliseconds:F0} ms), random {rr:G4}");
            bayes += rb / seeds;
            random += rr / seeds;
        }

        output.WriteLine($"mean regret over {seeds} seeds × {trials} trials: Bayesian {bayes:G4}, random {random:G4}");
        return (bayes, random);
    }
}
