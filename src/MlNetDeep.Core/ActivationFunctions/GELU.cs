using System.Runtime.CompilerServices;
using MlNetDeep.Compute;

namespace MlNetDeep.ActivationFunctions;

/// <summary>
/// The Gaussian error linear unit (Hendrycks and Gimpel, 2016).
/// Exact (default, PyTorch <c>approximate='none'</c>): <c>y = x·Φ(x)</c>, <c>dx = dy·(Φ(x) + x·φ(x))</c>, with Φ
/// from <see cref="VectorMath.NormalCdf(float, out float)"/> (absolute error about 1e-7, accurate in both tails).
/// Tanh approximation (PyTorch <c>approximate='tanh'</c>): <c>y = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))</c>,
/// computed as <c>x·σ(z)</c> with <c>z = 2√(2/π)(x + 0.044715x³)</c>, and <c>dx = dy·(σ(z) + x·σ'(z)·z')</c>.
/// </summary>
internal sealed class GELU : ActivationFunction
{
    // 2·√(2/π) and 2·√(2/π)·0.044715, the coefficients of z = x·(C1 + C3·x²).
    private const float TanhC1 = 1.5957691216057308f;
    private const float TanhC3 = 0.07135481627260025f;

    private readonly bool _approximateTanh;

    /// <summary>Creates the exact GELU, or the tanh approximation when <paramref name="approximateTanh"/>.</summary>
    public GELU(bool approximateTanh = ActivationSettings.Defaults.GeluApproximateTanh) => _approximateTanh = approximateTanh;

    /// <summary>Whether this is the tanh approximation.</summary>
    public bool ApproximateTanh => _approximateTanh;

    /// <inheritdoc/>
    public override Activation Kind => Activation.GELU;

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<float> x, Span<float> y)
    {
        if (_approximateTanh)
        {
            Elementwise.Unary(x, y, default(TanhForwardOperator));
        }
        else
        {
            Elementwise.Unary(x, y, default(ExactForwardOperator));
        }
    }

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        Elementwise.CheckLengths(x.Length, y.Length, dy.Length, dx.Length);
        if (_approximateTanh)
        {
            Elementwise.Binary(x, dy, dx, default(TanhBackwardOperator));
        }
        else
        {
            Elementwise.Binary(x, dy, dx, default(ExactBackwardOperator));
        }
    }

    /// <summary><c>x → x·Φ(x)</c>.</summary>
    private readonly struct ExactForwardOperator : IUnaryOperator
    {
        public float Invoke(float x) => x * VectorMath.NormalCdf(x, out _);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x)
            where TVec : struct, ISimd<TVec> => x * VectorMath.NormalCdf(x, out _);
    }

    /// <summary><c>(x, dy) → dy·(Φ(x) + x·φ(x))</c>.</summary>
    private readonly struct ExactBackwardOperator : IBinaryOperator
    {
        public float Invoke(float x, float dy)
        {
            var cdf = VectorMath.NormalCdf(x, out var gaussian);
            return dy * float.MultiplyAddEstimate(x * VectorMath.InverseSqrtTwoPi, gaussian, cdf);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x, TVec dy)
            where TVec : struct, ISimd<TVec>
        {
            var cdf = VectorMath.NormalCdf(x, out var gaussian);
            return dy * TVec.MultiplyAddEstimate(x * TVec.Create(VectorMath.InverseSqrtTwoPi), gaussian, cdf);
        }
    }

    /// <summary><c>x → x / (1 + e^(−z))</c>, <c>z = x·(C1 + C3·x²)</c>.</summary>
    private readonly struct TanhForwardOperator : IUnaryOperator
    {
        public float Invoke(float x)
        {
            var z = x * float.MultiplyAddEstimate(TanhC3 * x, x, TanhC1);
            return x / (1f + MathF.Exp(-z));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x)
            where TVec : struct, ISimd<TVec>
        {
            var z = x * TVec.MultiplyAddEstimate(TVec.Create(TanhC3) * x, x, TVec.Create(TanhC1));
            return x / (TVec.One + TVec.Exp(-z));
        }
    }

    /// <summary><c>(x, dy) → dy·(σ(z) + x·σ'(z)·(C1 + 3·C3·x²))</c>.</summary>
    private readonly struct TanhBackwardOperator : IBinaryOperator
    {
        public float Invoke(float x, float dy)
        {
            var x2 = x * x;
            var s = VectorMath.SigmoidWithDerivative(x * float.MultiplyAddEstimate(TanhC3, x2, TanhC1), out var ds);
            var slope = float.MultiplyAddEstimate(3f * TanhC3, x2, TanhC1);
            return dy * float.MultiplyAddEstimate(x * ds, slope, s);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TVec Invoke<TVec>(TVec x, TVec dy)
            where TVec : struct, ISimd<TVec>
        {
            var x2 = x * x;
            var s = VectorMath.SigmoidWithDerivative(x * TVec.MultiplyAddEstimate(TVec.Create(TanhC3), x2, TVec.Create(TanhC1)), out var ds);
            var slope = TVec.MultiplyAddEstimate(TVec.Create(3f * TanhC3), x2, TVec.Create(TanhC1));
            return dy * TVec.MultiplyAddEstimate(x * ds, slope, s);
        }
    }
}
