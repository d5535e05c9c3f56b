using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MlNetDeep.Compute;

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
        if (Simd512.IsHardwareAccelerated && n >= (nuint)Simd512.Count)
        {
            sum = SumOfSquares<Simd512>(ref x, n, ref i);
        }
        else if (Simd256.IsHardwareAccelerated && n >= (nuint)Simd256.Count)
        {
            sum = SumOfSquares<Simd256>(ref x, n, ref i);
        }
        else if (Simd128.IsHardwareAccelerated && n >= (nuint)Simd128.Count)
        {
            sum = SumOfSquares<Simd128>(ref x, n, ref i);
        }

        for (; i < n; i++)
        {
            double v = Unsafe.Add(ref x, i);
            sum += v * v;
        }

        return sum;
    }
    /// <summary>The whole vectors of <see cref="SumOfSquares(ReadOnlySpan{float})"/> at one width; leaves <paramref name="i"/> where they stopped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SumOfSquares<TVec>(ref float x, nuint n, ref nuint i)
        where TVec : struct, ISimd<TVec>
    {
        var accumulator = TVec.Zero;
        for (; i + (nuint)TVec.Count <= n; i += (nuint)TVec.Count)
        {
            accumulator = TVec.AddWidenedSquares(accumulator, TVec.Load(ref x, i));
        }

        return TVec.SumWidened(accumulator);
    }
}
