using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
        public Vector128<float> Invoke(Vector128<float> p, Vector128<float> g, ref Vector128<float> s0, ref Vector128<float> s1)
        {
            var gd = Vector128.MultiplyAddEstimate(Vector128.Create(weightDecay), p, g);
            s0 = Vector128.MultiplyAddEstimate(gd, gd, s0);
            return p - (Vector128.Create(learningRate) * gd / (Vector128.Sqrt(s0) + Vector128.Create(epsilon)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> p, Vector256<float> g, ref Vector256<float> s0, ref Vector256<float> s1)
        {
            var gd = Vector256.MultiplyAddEstimate(Vector256.Create(weightDecay), p, g);
            s0 = Vector256.MultiplyAddEstimate(gd, gd, s0);
            return p - (Vector256.Create(learningRate) * gd / (Vector256.Sqrt(s0) + Vector256.Create(epsilon)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> p, Vector512<float> g, ref Vector512<float> s0, ref Vector512<float> s1)
        {
            var gd = Vector512.MultiplyAddEstimate(Vector512.Create(weightDecay), p, g);
            s0 = Vector512.MultiplyAddEstimate(gd, gd, s0);
            return p - (Vector512.Create(learningRate) * gd / (Vector512.Sqrt(s0) + Vector512.Create(epsilon)));
        }
    }
}
