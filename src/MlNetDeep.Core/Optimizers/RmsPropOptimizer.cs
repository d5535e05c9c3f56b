using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
        public Vector128<float> Invoke(Vector128<float> p, Vector128<float> g, ref Vector128<float> s0, ref Vector128<float> s1)
        {
            var gd = Vector128.MultiplyAddEstimate(Vector128.Create(weightDecay), p, g);
            s0 = Vector128.MultiplyAddEstimate(Vector128.Create(alpha), s0, Vector128.Create(_oneMinusAlpha) * gd * gd);
            return p - (Vector128.Create(learningRate) * gd / (Vector128.Sqrt(s0) + Vector128.Create(epsilon)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> p, Vector256<float> g, ref Vector256<float> s0, ref Vector256<float> s1)
        {
            var gd = Vector256.MultiplyAddEstimate(Vector256.Create(weightDecay), p, g);
            s0 = Vector256.MultiplyAddEstimate(Vector256.Create(alpha), s0, Vector256.Create(_oneMinusAlpha) * gd * gd);
            return p - (Vector256.Create(learningRate) * gd / (Vector256.Sqrt(s0) + Vector256.Create(epsilon)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> p, Vector512<float> g, ref Vector512<float> s0, ref Vector512<float> s1)
        {
            var gd = Vector512.MultiplyAddEstimate(Vector512.Create(weightDecay), p, g);
            s0 = Vector512.MultiplyAddEstimate(Vector512.Create(alpha), s0, Vector512.Create(_oneMinusAlpha) * gd * gd);
            return p - (Vector512.Create(learningRate) * gd / (Vector512.Sqrt(s0) + Vector512.Create(epsilon)));
        }
    }
}
