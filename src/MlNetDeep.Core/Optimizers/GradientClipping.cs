using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetDeep.GradientOptimizers;

/// <summary>Gradient clipping over the network's contiguous gradient storage.</summary>
internal static class GradientClipping
{
    /// <summary>
    /// Clips by the global L2 norm as <c>torch.nn.utils.clip_grad_norm_</c>: <c>n = ‖g‖₂</c> (accumulated in
    /// double); when <c>c = maxNorm / (n + 1e-6)</c> is below 1 every gradient is multiplied by <c>c</c>.
    /// Returns the norm before clipping. A non-finite norm is returned as is and leaves the gradients untouched
    /// (PyTorch would fill them with NaN); the caller decides what a diverged step means.
    /// </summary>
    public static double ClipByGlobalNorm(Span<float> gradients, float maxNorm)
    {
        if (!(maxNorm > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), $"The maximum norm must be positive. Received: maxNorm={maxNorm}.");
        }

        var norm = Math.Sqrt(SumOfSquares(gradients));
        if (double.IsFinite(norm))
        {
            var coefficient = maxNorm / (norm + 1e-6);
            if (coefficient < 1.0)
            {
                TensorPrimitives.Multiply(gradients, (float)coefficient, gradients);
            }
        }

        return norm;
    }

    /// <summary>Σ xᵢ² with every square widened to double before it is added.</summary>
    internal static double SumOfSquares(ReadOnlySpan<float> values)
    {
        ref var x = ref MemoryMarshal.GetReference(values);
        nuint n = (uint)values.Length;
        nuint i = 0;
        var sum = 0.0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            var accumulator = Vector512<double>.Zero;
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
            {
                var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref x, i));
                accumulator = Vector512.MultiplyAddEstimate(lower, lower, accumulator);
                accumulator = Vector512.MultiplyAddEstimate(upper, upper, accumulator);
            }

            sum = Vector512.Sum(accumulator);
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            var accumulator = Vector256<double>.Zero;
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref x, i));
                accumulator = Vector256.MultiplyAddEstimate(lower, lower, accumulator);
                accumulator = Vector256.MultiplyAddEstimate(upper, upper, accumulator);
            }

            sum = Vector256.Sum(accumulator);
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<float>.Count)
        {
            var accumulator = Vector128<double>.Zero;
            for (; i + (nuint)Vector128<float>.Count <= n; i += (nuint)Vector128<float>.Count)
            {
                var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref x, i));
                accumulator = Vector128.MultiplyAddEstimate(lower, lower, accumulator);
                accumulator = Vector128.MultiplyAddEstimate(upper, upper, accumulator);
            }

            sum = Vector128.Sum(accumulator);
        }

        for (; i < n; i++)
        {
            double v = Unsafe.Add(ref x, i);
            sum += v * v;
        }

        return sum;
    }
}
