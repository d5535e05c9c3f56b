namespace MlNetDeep.GradientOptimizers;

/// <summary>Builds the optimizer named by the public <see cref="Optimizer"/> enum from <see cref="OptimizerOptions"/>.</summary>
internal static class OptimizerFactory
{
    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="kind">Which rule.</param>
    /// <param name="options">The settings; each rule takes the ones it uses.</param>
    /// <param name="parameterCount">The length of the parameter storage.</param>
    /// <param name="decayRanges">The <c>(Offset, Length)</c> ranges weight decay applies to; null = all parameters.</param>
    public static GradientOptimizer Create(Optimizer kind, OptimizerOptions options, int parameterCount, IReadOnlyList<(int Offset, int Length)>? decayRanges)
    {
        ArgumentNullException.ThrowIfNull(options);
        return kind switch
        {
            Optimizer.SGD => new SgdOptimizer(parameterCount, options.Momentum, options.Nesterov, options.WeightDecay, decayRanges),
            Optimizer.Adam => new AdamOptimizer(parameterCount, options.Beta1, options.Beta2, options.Epsilon ?? OptimizerOptions.Defaults.AdamEpsilon, options.WeightDecay, decayRanges),
            Optimizer.AdamW => new AdamWOptimizer(parameterCount, options.Beta1, options.Beta2, options.Epsilon ?? OptimizerOptions.Defaults.AdamEpsilon, options.WeightDecay, decayRanges),
            Optimizer.RMSProp => new RmsPropOptimizer(parameterCount, options.RmsPropAlpha, options.Epsilon ?? OptimizerOptions.Defaults.AdamEpsilon, options.WeightDecay, decayRanges),
            Optimizer.Adagrad => new AdagradOptimizer(parameterCount, options.Epsilon ?? OptimizerOptions.Defaults.AdagradEpsilon, 0f, options.WeightDecay, decayRanges),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), $"Unknown optimizer. Received: {kind}."),
        };
    }
}
