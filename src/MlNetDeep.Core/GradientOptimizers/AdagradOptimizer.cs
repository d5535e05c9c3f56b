using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

namespace MlNetDeep.GradientOptimizers;

/// <summary>
/// Adagrad as <c>torch.optim.Adagrad</c> (no learning-rate decay; schedules do that): <c>g ← g + wd·p</c>;
/// <c>s ← s + g²</c>; <c>p ← p − lr·g / (√s + ε)</c>. PyTorch defaults ε = 1e-10 and an initial accumulator of 0
/// (Keras starts it at 0.1). State: <c>sum</c>.
/// </summary>
internal sealed class AdagradOptimizer : GradientOptimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameterCount">The length of the parameter storage.</param>
    /// <param name="epsilon">The ε added to the root.</param>
    /// <param name="initialAccumulator">The starting value of the squared-gradient sum (non-negative).</param>
    /// <param name="weightDecay">The L2 coefficient added to the gradient.</param>
    /// <param name="decayRanges">The decayed ranges; null decays everything.</param>
    public AdagradOptimizer(int parameterCount, float epsilon = 1e-10f, float initialAccumulator = 0f, float weightDecay = 0f, IReadOnlyList<(int Offset, int Length)>? decayRanges = null)
        : base(parameterCount, weightDecay, decayRanges, ["sum"], initialAccumulator)
    {
        if (!(epsilon > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), $"Epsilon must be positive. Received: epsilon={epsilon}.");
        }

        if (!(initialAccumulator >= 0f) || float.IsInfinity(initialAccumulator))
        {
            throw new ArgumentOutOfRangeException(nameof(initialAccumulator), $"The initial accumulator must be finite and non-negative. Received: initialAccumulator={initialAccumulator}.");
        }

        Epsilon = epsilon;
        InitialAccumulator = initialAccumulator;
    }

    /// <inheritdoc/>
    public override Optimizer Kind => Optimizer.Adagrad;

    /// <summary>The ε added to the root.</summary>
    public float Epsilon { get; }

    /// <summary>The starting value of the squared-gradient sum.</summary>
    public float InitialAccumulator { get; }

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float learningRate, float weightDecay) =>
        ParameterUpdateLoop.Run(new AdagradUpdate(learningRate, weightDecay, Epsilon), parameters, gradients, StateSlice(0, offset, parameters.Length), default);

    /// <summary><c>g' = g + wd·p; s ← s + g'²; p ← p − lr·g' / (√s + ε)</c>.</summary>
    private readonly struct AdagradUpdate(float learningRate, float weightDecay, float epsilon) : IParameterUpdate
    {
        public static int StateCount => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float p, float g, ref float s0, ref float s1)
        {
            var gd = (weightDecay * p) + g;
            s0 += gd * gd;
            return p - (learningRate * gd / (MathF.Sqrt(s0) + epsilon));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec p, TVec g, ref TVec s0, ref TVec s1)
            where TVec : struct, ISimd<TVec>
        {
            var gd = TVec.MultiplyAddEstimate(TVec.Create(weightDecay), p, g);
            s0 = TVec.MultiplyAddEstimate(gd, gd, s0);
            return p - (TVec.Create(learningRate) * gd / (TVec.Sqrt(s0) + TVec.Create(epsilon)));
        }
    }
}
