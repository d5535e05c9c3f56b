using System.Runtime.Intrinsics;
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

        public Vector128<float> Invoke(Vector128<float> x) => x * VectorMath.NormalCdf(x, out _);

        public Vector256<float> Invoke(Vector256<float> x) => x * VectorMath.NormalCdf(x, out _);

        public Vector512<float> Invoke(Vector512<float> x) => x * VectorMath.NormalCdf(x, out _);
    }

    /// <summary><c>(x, dy) → dy·(Φ(x) + x·φ(x))</c>.</summary>
    private readonly struct ExactBackwardOperator : IBinaryOperator
    {
        public float Invoke(float x, float dy)
        {
            var cdf = VectorMath.NormalCdf(x, out var gaussian);
            return dy * float.MultiplyAddEstimate(x * VectorMath.InverseSqrtTwoPi, gaussian, cdf);
        }

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
        {
            var cdf = VectorMath.NormalCdf(x, out var gaussian);
            return dy * Vector128.MultiplyAddEstimate(x * Vector128.Create(VectorMath.InverseSqrtTwoPi), gaussian, cdf);
        }

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        {
            var cdf = VectorMath.NormalCdf(x, out var gaussian);
            return dy * Vector256.MultiplyAddEstimate(x * Vector256.Create(VectorMath.InverseSqrtTwoPi), gaussian, cdf);
        }

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        {
            var cdf = VectorMath.NormalCdf(x, out var gaussian);
            return dy * Vector512.MultiplyAddEstimate(x * Vector512.Create(VectorMath.InverseSqrtTwoPi), gaussian, cdf);
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

        public Vector128<float> Invoke(Vector128<float> x)
        {
            var z = x * Vector128.MultiplyAddEstimate(Vector128.Create(TanhC3) * x, x, Vector128.Create(TanhC1));
            return x / (Vector128<float>.One + Vector128.Exp(-z));
        }

        public Vector256<float> Invoke(Vector256<float> x)
        {
            var z = x * Vector256.MultiplyAddEstimate(Vector256.Create(TanhC3) * x, x, Vector256.Create(TanhC1));
            return x / (Vector256<float>.One + Vector256.Exp(-z));
        }

        public Vector512<float> Invoke(Vector512<float> x)
        {
            var z = x * Vector512.MultiplyAddEstimate(Vector512.Create(TanhC3) * x, x, Vector512.Create(TanhC1));
            return x / (Vector512<float>.One + Vector512.Exp(-z));
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

        public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
        {
            var x2 = x * x;
            var s = VectorMath.SigmoidWithDerivative(x * Vector128.MultiplyAddEstimate(Vector128.Create(TanhC3), x2, Vector128.Create(TanhC1)), out var ds);
            var slope = Vector128.MultiplyAddEstimate(Vector128.Create(3f * TanhC3), x2, Vector128.Create(TanhC1));
            return dy * Vector128.MultiplyAddEstimate(x * ds, slope, s);
        }

        public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        {
            var x2 = x * x;
            var s = VectorMath.SigmoidWithDerivative(x * Vector256.MultiplyAddEstimate(Vector256.Create(TanhC3), x2, Vector256.Create(TanhC1)), out var ds);
            var slope = Vector256.MultiplyAddEstimate(Vector256.Create(3f * TanhC3), x2, Vector256.Create(TanhC1));
            return dy * Vector256.MultiplyAddEstimate(x * ds, slope, s);
        }

        public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        {
            var x2 = x * x;
            var s = VectorMath.SigmoidWithDerivative(x * Vector512.MultiplyAddEstimate(Vector512.Create(TanhC3), x2, Vector512.Create(TanhC1)), out var ds);
            var slope = Vector512.MultiplyAddEstimate(Vector512.Create(3f * TanhC3), x2, Vector512.Create(TanhC1));
            return dy * Vector512.MultiplyAddEstimate(x * ds, slope, s);
        }
    }
}
