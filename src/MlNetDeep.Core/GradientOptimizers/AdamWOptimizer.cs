namespace MlNetDeep.GradientOptimizers;

/// <summary>
/// AdamW as <c>torch.optim.AdamW</c>: inside the decayed ranges the parameter first shrinks, <c>p ← p − lr·wd·p</c>,
/// then takes the plain Adam step (the gradient itself is not changed by the decay).
/// </summary>
internal sealed class AdamWOptimizer : AdamOptimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameterCount">The length of the parameter storage.</param>
    /// <param name="beta1">The first-moment decay β₁ in [0, 1).</param>
    /// <param name="beta2">The second-moment decay β₂ in [0, 1).</param>
    /// <param name="epsilon">The ε added to the denominator (PyTorch default 1e-8).</param>
    /// <param name="weightDecay">The decoupled weight-decay coefficient (PyTorch default 0.01).</param>
    /// <param name="decayRanges">The decayed ranges; null decays everything.</param>
    public AdamWOptimizer(int parameterCount, float beta1 = OptimizerOptions.Defaults.Beta1, float beta2 = OptimizerOptions.Defaults.Beta2, float epsilon = OptimizerOptions.Defaults.AdamEpsilon, float weightDecay = 0.01f, IReadOnlyList<(int Offset, int Length)>? decayRanges = null)
        : base(parameterCount, beta1, beta2, epsilon, weightDecay, decayRanges, decoupled: true)
    {
    }

    /// <inheritdoc/>
    public override Optimizer Kind => Optimizer.AdamW;
}
