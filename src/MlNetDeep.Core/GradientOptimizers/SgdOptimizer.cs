using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

namespace MlNetDeep.GradientOptimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum and Nesterov momentum, as <c>torch.optim.SGD</c> with
/// dampening 0: <c>g ← g + wd·p</c>; <c>b ← μ·b + g</c>; <c>d = g + μ·b</c> (Nesterov) or <c>d = b</c>;
/// <c>p ← p − lr·d</c>. Without momentum <c>d = g</c> and no state is kept. The buffer starts at zero, which equals
/// PyTorch's first-step <c>b = g</c> when dampening is 0.
/// </summary>
internal sealed class SgdOptimizer : GradientOptimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="parameterCount">The length of the parameter storage.</param>
    /// <param name="momentum">The momentum μ in [0, 1); 0 disables it.</param>
    /// <param name="nesterov">Whether to use Nesterov momentum (requires μ &gt; 0).</param>
    /// <param name="weightDecay">The L2 coefficient added to the gradient.</param>
    /// <param name="decayRanges">The decayed ranges; null decays everything.</param>
    public SgdOptimizer(int parameterCount, float momentum = 0f, bool nesterov = false, float weightDecay = 0f, IReadOnlyList<(int Offset, int Length)>? decayRanges = null)
        : base(parameterCount, weightDecay, decayRanges, momentum > 0f ? ["momentum_buffer"] : [])
    {
        if (!(momentum >= 0f && momentum < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), $"Momentum must be in [0, 1). Received: momentum={momentum}.");
        }

        if (nesterov && momentum == 0f)
        {
            throw new ArgumentException("Nesterov momentum requires a momentum above zero. Received: momentum=0, nesterov=true.", nameof(nesterov));
        }

        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <inheritdoc/>
    public override Optimizer Kind => Optimizer.SGD;

    /// <summary>The momentum μ.</summary>
    public float Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float learningRate, float weightDecay)
    {
        if (Momentum == 0f)
        {
            ParameterUpdateLoop.Run(new PlainUpdate(learningRate, weightDecay), parameters, gradients, default, default);
            return;
        }

        // d = n·g + c·b: Nesterov n = 1, c = μ; heavy ball n = 0, c = 1.
        var update = new MomentumUpdate(learningRate, weightDecay, Momentum, Nesterov ? 1f : 0f, Nesterov ? Momentum : 1f);
        ParameterUpdateLoop.Run(update, parameters, gradients, StateSlice(0, offset, parameters.Length), default);
    }

    /// <summary><c>p ← p − lr·(g + wd·p)</c>.</summary>
    private readonly struct PlainUpdate(float learningRate, float weightDecay) : IParameterUpdate
    {
        public static int StateCount => 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float p, float g, ref float s0, ref float s1) => p - (learningRate * ((weightDecay * p) + g));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec p, TVec g, ref TVec s0, ref TVec s1)
            where TVec : struct, ISimd<TVec> =>
            p - (TVec.Create(learningRate) * TVec.MultiplyAddEstimate(TVec.Create(weightDecay), p, g));
    }

    /// <summary><c>g' = g + wd·p; b ← μ·b + g'; p ← p − lr·(n·g' + c·b)</c>; state 0 is the momentum buffer.</summary>
    private readonly struct MomentumUpdate(float learningRate, float weightDecay, float momentum, float gradientCoefficient, float bufferCoefficient) : IParameterUpdate
    {
        public static int StateCount => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float p, float g, ref float s0, ref float s1)
        {
            var gd = (weightDecay * p) + g;
            s0 = (momentum * s0) + gd;
            return p - (learningRate * ((gradientCoefficient * gd) + (bufferCoefficient * s0)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec p, TVec g, ref TVec s0, ref TVec s1)
            where TVec : struct, ISimd<TVec>
        {
            var gd = TVec.MultiplyAddEstimate(TVec.Create(weightDecay), p, g);
            s0 = TVec.MultiplyAddEstimate(TVec.Create(momentum), s0, gd);
            var d = TVec.MultiplyAddEstimate(TVec.Create(gradientCoefficient), gd, TVec.Create(bufferCoefficient) * s0);
            return p - (TVec.Create(learningRate) * d);
        }
    }
}
