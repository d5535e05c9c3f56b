using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MlNetDeep.Compute;

namespace MlNetDeep.Losses;

/// <summary>
/// Runs an <see cref="IElementwiseLoss"/> over a batch in one pass (vectors of the widest accelerated width, then a scalar tail),
/// summing the losses in double and writing the scaled derivatives.
/// </summary>
internal static class ElementwiseLossLoop
{
    /// <summary>
    /// The <see cref="LossFunction"/> reduction for an elementwise loss with <paramref name="outputSize"/> outputs per
    /// example, where <c>ℓᵢ</c> is the mean of <c>f</c> over the row: returns <c>Σ wᵢ·ℓᵢ</c> and writes
    /// <c>gradientScale·wᵢ·f′/outputSize</c> when <paramref name="gradient"/> is not empty.
    /// </summary>
    public static double Accumulate<TLoss>(in TLoss loss, int outputSize, ReadOnlySpan<float> output, ReadOnlySpan<float> targets, ReadOnlySpan<float> weights, int batch, float gradientScale, Span<float> gradient)
        where TLoss : struct, IElementwiseLoss
    {
        var perOutput = 1f / outputSize;
        if (weights.IsEmpty || outputSize == 1)
        {
            // One pass over the whole batch; with one output per example the weights are per element.
            return Run(loss, output, targets, weights, gradientScale * perOutput, gradient) * perOutput;
        }

        var sum = 0.0;
        for (var i = 0; i < batch; i++)
        {
            var row = i * outputSize;
            var rowGradient = gradient.IsEmpty ? gradient : gradient.Slice(row, outputSize);
            var rowSum = Run(loss, output.Slice(row, outputSize), targets.Slice(row, outputSize), default, gradientScale * weights[i] * perOutput, rowGradient);
            sum += weights[i] * rowSum * perOutput;
        }

        return sum;
    }

    /// <summary>
    /// Returns <c>Σⱼ wⱼ·f(zⱼ, yⱼ)</c> (<c>wⱼ = 1</c> when <paramref name="weights"/> is empty) and, when
    /// <paramref name="gradient"/> is not empty, writes <c>scale·wⱼ·f′(zⱼ, yⱼ)</c>.
    /// </summary>
    public static double Run<TLoss>(in TLoss loss, ReadOnlySpan<float> z, ReadOnlySpan<float> y, ReadOnlySpan<float> weights, float scale, Span<float> gradient)
        where TLoss : struct, IElementwiseLoss
    {
        var n = (nuint)z.Length;
        if ((nuint)y.Length < n || (!weights.IsEmpty && (nuint)weights.Length < n) || (!gradient.IsEmpty && (nuint)gradient.Length < n))
        {
            throw new ArgumentException($"Elementwise loss over {n} values received {y.Length} targets, {weights.Length} weights and {gradient.Length} gradient slots.");
        }

        ref var zr = ref MemoryMarshal.GetReference(z);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var wr = ref MemoryMarshal.GetReference(weights);
        ref var gr = ref MemoryMarshal.GetReference(gradient);
        var weighted = !weights.IsEmpty;
        var writeGradient = !gradient.IsEmpty;
        nuint i = 0;
        var sum = 0.0;

        if (Simd512.IsHardwareAccelerated && n >= (nuint)Simd512.Count)
        {
            sum = RunVectors<Simd512, TLoss>(loss, ref zr, ref yr, ref wr, ref gr, weighted, writeGradient, scale, n, ref i);
        }
        else if (Simd256.IsHardwareAccelerated && n >= (nuint)Simd256.Count)
        {
            sum = RunVectors<Simd256, TLoss>(loss, ref zr, ref yr, ref wr, ref gr, weighted, writeGradient, scale, n, ref i);
        }
        else if (Simd128.IsHardwareAccelerated && n >= (nuint)Simd128.Count)
        {
            sum = RunVectors<Simd128, TLoss>(loss, ref zr, ref yr, ref wr, ref gr, weighted, writeGradient, scale, n, ref i);
        }

        for (; i < n; i++)
        {
            var value = loss.Invoke(Unsafe.Add(ref zr, i), Unsafe.Add(ref yr, i), out var derivative);
            var w = weighted ? Unsafe.Add(ref wr, i) : 1f;
            sum += w * value;
            if (writeGradient)
            {
                Unsafe.Add(ref gr, i) = derivative * scale * w;
            }
        }

        return sum;
    }
    /// <summary>The whole vectors of <see cref="Run"/> at one width: returns their loss sum and leaves <paramref name="i"/> where they stopped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double RunVectors<TVec, TLoss>(in TLoss loss, ref float zr, ref float yr, ref float wr, ref float gr, bool weighted, bool writeGradient, float scale, nuint n, ref nuint i)
        where TVec : struct, ISimd<TVec>
        where TLoss : struct, IElementwiseLoss
    {
        var accumulator = TVec.Zero;
        var scaleVector = TVec.Create(scale);
        for (; i + (nuint)TVec.Count <= n; i += (nuint)TVec.Count)
        {
            var value = loss.Invoke(TVec.Load(ref zr, i), TVec.Load(ref yr, i), out var derivative);
            var factor = scaleVector;
            if (weighted)
            {
                var w = TVec.Load(ref wr, i);
                value *= w;
                factor *= w;
            }

            accumulator = TVec.AddWidened(accumulator, value);
            if (writeGradient)
            {
                (derivative * factor).Store(ref gr, i);
            }
        }

        return TVec.SumWidened(accumulator);
    }
}
