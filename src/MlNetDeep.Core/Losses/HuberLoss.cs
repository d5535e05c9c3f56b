using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

namespace MlNetDeep.Losses;

/// <summary>
/// Huber loss as <c>torch.nn.HuberLoss</c>: with <c>d = z − y</c>, <c>f = d²/2</c> when <c>|d| ≤ δ</c> and
/// <c>δ(|d| − δ/2)</c> beyond; <c>∂f/∂z = clamp(d, −δ, δ)</c>. Averaged over the outputs of an example, then over
/// the (weighted) batch.
/// </summary>
internal sealed class HuberLoss : LossFunction
{
    /// <summary>The default δ (PyTorch and Keras).</summary>
    public const float DefaultDelta = 1f;

    /// <summary>Creates the loss.</summary>
    /// <param name="outputSize">Outputs per example.</param>
    /// <param name="delta">Where the loss turns from quadratic to linear (positive).</param>
    public HuberLoss(int outputSize, float delta = DefaultDelta)
        : base(outputSize)
    {
        if (!(delta > 0f) || float.IsInfinity(delta))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), $"Huber delta must be positive and finite. Received: delta={delta}.");
        }

        Delta = delta;
    }

    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public float Delta { get; }

    /// <inheritdoc/>
    protected override double Accumulate(ReadOnlySpan<float> output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int batch, float gradientScale, Span<float> outputGradient) =>
        ElementwiseLossLoop.Accumulate(new Huber(Delta), OutputSize, output, targets, weights, batch, gradientScale, outputGradient);

    /// <summary>The Huber function of <c>d = z − y</c>.</summary>
    private readonly struct Huber(float delta) : IElementwiseLoss
    {
        private readonly float _halfDelta = 0.5f * delta;

        public float Invoke(float z, float y, out float derivative)
        {
            var d = z - y;
            var a = MathF.Abs(d);
            derivative = Math.Clamp(d, -delta, delta);
            return a <= delta ? 0.5f * d * d : delta * (a - _halfDelta);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec z, TVec y, out TVec derivative)
            where TVec : struct, ISimd<TVec>
        {
            var d = z - y;
            var a = TVec.Abs(d);
            var deltaVector = TVec.Create(delta);
            derivative = TVec.Clamp(d, -deltaVector, deltaVector);
            return TVec.ConditionalSelect(TVec.LessThanOrEqual(a, deltaVector), TVec.Create(0.5f) * d * d, deltaVector * (a - TVec.Create(_halfDelta)));
        }
    }
}
