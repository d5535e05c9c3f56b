namespace MlNetDeep.Tuning;

/// <summary>How a FeedForward tuning run chooses the next configuration to try.</summary>
public enum FeedForwardSearchAlgorithm
{
    /// <summary>Bayesian optimization (<see cref="BayesianOptimizer"/>): a Gaussian-process surrogate and expected improvement.</summary>
    Bayesian,

    /// <summary>Random search (<see cref="RandomSearchOptimizer"/>): independent uniform draws from the space.</summary>
    Random,
}
