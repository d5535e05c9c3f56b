using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

namespace MlNetDeep.GradientOptimizers;

/// <summary>
/// Adam as <c>torch.optim.Adam</c>: <c>g ← g + wd·p</c> (L2); <c>m ← β₁·m + (1 − β₁)·g</c>;
/// <c>v ← β₂·v + (1 − β₂)·g²</c>; <c>p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)</c>.
/// <see cref="AdamWOptimizer"/> reuses the rule with decoupled decay instead of L2.
/// State: <c>exp_avg</c> (m) and <c>exp_avg_sq</c> (v).
/// </summary>
internal class AdamOptimizer : GradientOptimizer
{
    private readonly bool _decoupled;

    /// <summary>Creates Adam with L2 regularization added to the gradient.</summary>
    /// <param name="parameterCount">The length of the parameter storage.</param>
    /// <param name="beta1">The first-moment decay β₁ in [0, 1).</param>
    /// <param name="beta2">The second-moment decay β₂ in [0, 1).</param>
    /// <param name="epsilon">The ε added to the denominator (PyTorch default 1e-8).</param>
    /// <param name="weightDecay">The L2 coefficient.</param>
    /// <param name="decayRanges">The decayed ranges; null decays everything.</param>
    public AdamOptimizer(int parameterCount, float beta1 = OptimizerOptions.Defaults.Beta1, float beta2 = OptimizerOptions.Defaults.Beta2, float epsilon = OptimizerOptions.Defaults.AdamEpsilon, float weightDecay = 0f, IReadOnlyList<(int Offset, int Length)>? decayRanges = null)
        : this(parameterCount, beta1, beta2, epsilon, weightDecay, decayRanges, decoupled: false)
    {
    }

    /// <summary>Creates Adam with L2 (<paramref name="decoupled"/> false) or decoupled (true) weight decay.</summary>
    protected AdamOptimizer(int parameterCount, float beta1, float beta2, float epsilon, float weightDecay, IReadOnlyList<(int Offset, int Length)>? decayRanges, bool decoupled)
        : base(parameterCount, weightDecay, decayRanges, ["exp_avg", "exp_avg_sq"])
    {
        if (!(beta1 >= 0f && beta1 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), $"Beta1 must be in [0, 1). Received: beta1={beta1}.");
        }

        if (!(beta2 >= 0f && beta2 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), $"Beta2 must be in [0, 1). Received: beta2={beta2}.");
        }

        if (!(epsilon > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"Epsilon must be positive. Received: epsilon={epsilon}.");
        }

        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        _decoupled = decoupled;
    }

    /// <inheritdoc/>
    public override Optimizer Kind => Optimizer.Adam;

    /// <summary>The first-moment decay β₁.</summary>
    public float Beta1 { get; }

    /// <summary>The second-moment decay β₂.</summary>
    public float Beta2 { get; }

    /// <summary>The ε added to the denominator, outside the square root.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float learningRate, float weightDecay)
    {
        var biasCorrection1 = 1.0 - Math.Pow(Beta1, StepCount);
        var biasCorrection2 = 1.0 - Math.Pow(Beta2, StepCount);
        var update = new AdamUpdate(
            keep: _decoupled ? 1f - (learningRate * weightDecay) : 1f,
            l2: _decoupled ? 0f : weightDecay,
            beta1: Beta1,
            beta2: Beta2,
            stepSize: (float)(learningRate / biasCorrection1),
            inverseSqrtBiasCorrection2: (float)(1.0 / Math.Sqrt(biasCorrection2)),
            epsilon: Epsilon);
        ParameterUpdateLoop.Run(update, parameters, gradients, StateSlice(0, offset, parameters.Length), StateSlice(1, offset, parameters.Length));
    }

    /// <summary>
    /// <c>g' = g + l2·p; m ← β₁m + (1−β₁)g'; v ← β₂v + (1−β₂)g'²; p ← keep·p − step·m / (√v·c₂ + ε)</c>
    /// with <c>keep = 1 − lr·wd</c> for AdamW and 1 for Adam.
    /// </summary>
    private readonly struct AdamUpdate(float keep, float l2, float beta1, float beta2, float stepSize, float inverseSqrtBiasCorrection2, float epsilon) : IParameterUpdate
    {
        private readonly float _oneMinusBeta1 = 1f - beta1;
        private readonly float _oneMinusBeta2 = 1f - beta2;

        public static int StateCount => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float p, float g, ref float s0, ref float s1)
        {
            var gd = (l2 * p) + g;
            s0 = (beta1 * s0) + (_oneMinusBeta1 * gd);
            s1 = (beta2 * s1) + (_oneMinusBeta2 * gd * gd);
            return (keep * p) - (stepSize * s0 / ((MathF.Sqrt(s1) * inverseSqrtBiasCorrection2) + epsilon));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec p, TVec g, ref TVec s0, ref TVec s1)
            where TVec : struct, ISimd<TVec>
        {
            var gd = TVec.MultiplyAddEstimate(TVec.Create(l2), p, g);
            s0 = TVec.MultiplyAddEstimate(TVec.Create(beta1), s0, TVec.Create(_oneMinusBeta1) * gd);
            s1 = TVec.MultiplyAddEstimate(TVec.Create(beta2), s1, TVec.Create(_oneMinusBeta2) * gd * gd);
            var denominator = TVec.MultiplyAddEstimate(TVec.Sqrt(s1), TVec.Create(inverseSqrtBiasCorrection2), TVec.Create(epsilon));
            return (TVec.Create(keep) * p) - (TVec.Create(stepSize) * s0 / denominator);
        }
    }
}
