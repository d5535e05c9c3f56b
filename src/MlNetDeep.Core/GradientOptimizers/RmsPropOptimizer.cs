using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

namespace MlNetDeep.GradientOptimizers;

/// <summary>
/// RMSProp as <c>torch.optim.RMSprop</c> (not centered, no momentum): <c>g ← g + wd·p</c>;
/// <c>s ← α·s + (1 − α)·g²</c>; <c>p ← p − lr·g / (√s + ε)</c>, with ε outside the square root.
/// PyTorch defaults α = 0.99, ε = 1e-8 (Keras uses ρ = 0.9 and ε inside). State: <c>square_avg</c>.
/// </summary>
internal sealed class RmsPropOptimizer : GradientOptimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameterCount">The length of the parameter storage.</param>
    /// <param name="alpha">The decay α of the squared-gradient average, in [0, 1).</param>
    /// <param name="epsilon">The ε added to the root.</param>
    /// <param name="weightDecay">The L2 coefficient added to the gradient.</param>
    /// <param name="decayRanges">The decayed ranges; null decays everything.</param>
    public RmsPropOptimizer(int parameterCount, float alpha = 0.99f, float epsilon = 1e-8f, float weightDecay = 0f, IReadOnlyList<(int Offset, int Length)>? decayRanges = null)
        : base(parameterCount, weightDecay, decayRanges, ["square_avg"])
    {
        if (!(alpha >= 0f && alpha < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), $"Alpha must be in [0, 1). Received: alpha={alpha}.");
        }

        if (!(epsilon > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"Epsilon must be positive. Received: epsilon={epsilon}.");
        }

        Alpha = alpha;
        Epsilon = epsilon;
    }

    /// <inheritdoc/>
    public override Optimizer Kind => Optimizer.RMSProp;

    /// <summary>The decay α of the squared-gradient average.</summary>
    public float Alpha { get; }

    /// <summary>The ε added to the root.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float learningRate, float weightDecay) =>
        ParameterUpdateLoop.Run(new RmsPropUpdate(learningRate, weightDecay, Alpha, Epsilon), parameters, gradients, StateSlice(0, offset, parameters.Length), default);

    /// <summary><c>g' = g + wd·p; s ← α·s + (1−α)·g'²; p ← p − lr·g' / (√s + ε)</c>.</summary>
    private readonly struct RmsPropUpdate(float learningRate, float weightDecay, float alpha, float epsilon) : IParameterUpdate
    {
        private readonly float _oneMinusAlpha = 1f - alpha;

        public static int StateCount => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float p, float g, ref float s0, ref float s1)
        {
            var gd = (weightDecay * p) + g;
            s0 = (alpha * s0) + (_oneMinusAlpha * gd * gd);
            return p - (learningRate * gd / (MathF.Sqrt(s0) + epsilon));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec p, TVec g, ref TVec s0, ref TVec s1)
            where TVec : struct, ISimd<TVec>
        {
            var gd = TVec.MultiplyAddEstimate(TVec.Create(weightDecay), p, g);
            s0 = TVec.MultiplyAddEstimate(TVec.Create(alpha), s0, TVec.Create(_oneMinusAlpha) * gd * gd);
            return p - (TVec.Create(learningRate) * gd / (TVec.Sqrt(s0) + TVec.Create(epsilon)));
        }
    }
}
