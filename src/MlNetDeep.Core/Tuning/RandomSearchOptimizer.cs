using MlNetDeep.Compute;

namespace MlNetDeep.Tuning;

/// <summary>
/// Random search: every proposal is drawn independently and uniformly from the search space (uniform in
/// <c>log(value)</c> for log-scale parameters). The baseline the <see cref="BayesianOptimizer"/> is measured against,
/// and a sound choice for very cheap objectives or very large budgets.
/// </summary>
public sealed class RandomSearchOptimizer : HyperparameterOptimizer
{
    private RandomGenerator _random;

    /// <summary>Creates a random search over <paramref name="space"/>; the same seed gives the same proposals.</summary>
    public RandomSearchOptimizer(SearchSpace space, int seed)
        : base(space, seed)
    {
        _random = new RandomGenerator(seed);
    }

    private protected override IReadOnlyList<ParameterSet> ProposeCore(int count)
    {
        var unit = new double[Space.Count];
        var batch = new ParameterSet[count];
        for (var b = 0; b < count; b++)
        {
            for (var i = 0; i < unit.Length; i++)
            {
                unit[i] = _random.NextDouble();
            }

            batch[b] = Space.Decode(unit);
        }

        return batch;
    }

    private protected override void OnReset() => _random = new RandomGenerator(Seed);
}
