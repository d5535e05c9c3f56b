using System.Runtime.Intrinsics;

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

        public Vector128<float> Invoke(Vector128<float> z, Vector128<float> y, out Vector128<float> derivative)
        {
            var d = z - y;
            var a = Vector128.Abs(d);
            var deltaVector = Vector128.Create(delta);
            derivative = Vector128.Clamp(d, -deltaVector, deltaVector);
            return Vector128.ConditionalSelect(Vector128.LessThanOrEqual(a, deltaVector), Vector128.Create(0.5f) * d * d, deltaVector * (a - Vector128.Create(_halfDelta)));
        }

        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> y, out Vector256<float> derivative)
        {
            var d = z - y;
            var a = Vector256.Abs(d);
            var deltaVector = Vector256.Create(delta);
            derivative = Vector256.Clamp(d, -deltaVector, deltaVector);
            return Vector256.ConditionalSelect(Vector256.LessThanOrEqual(a, deltaVector), Vector256.Create(0.5f) * d * d, deltaVector * (a - Vector256.Create(_halfDelta)));
        }

        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> y, out Vector512<float> derivative)
        {
            var d = z - y;
            var a = Vector512.Abs(d);
            var deltaVector = Vector512.Create(delta);
            derivative = Vector512.Clamp(d, -deltaVector, deltaVector);
            return Vector512.ConditionalSelect(Vector512.LessThanOrEqual(a, deltaVector), Vector512.Create(0.5f) * d * d, deltaVector * (a - Vector512.Create(_halfDelta)));
        }
    }
}
