using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetDeep.Losses;

/// <summary>
/// Runs an <see cref="IElementwiseLoss"/> over a batch in one pass (widest accelerated vectors, then a scalar tail),
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

        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            var accumulator = Vector512<double>.Zero;
            var scaleVector = Vector512.Create(scale);
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
            {
                var value = loss.Invoke(Vector512.LoadUnsafe(ref zr, i), Vector512.LoadUnsafe(ref yr, i), out var derivative);
                var factor = scaleVector;
                if (weighted)
                {
                    var w = Vector512.LoadUnsafe(ref wr, i);
                    value *= w;
                    factor *= w;
                }

                var (lower, upper) = Vector512.Widen(value);
                accumulator += lower + upper;
                if (writeGradient)
                {
                    (derivative * factor).StoreUnsafe(ref gr, i);
                }
            }

            sum = Vector512.Sum(accumulator);
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            var accumulator = Vector256<double>.Zero;
            var scaleVector = Vector256.Create(scale);
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                var value = loss.Invoke(Vector256.LoadUnsafe(ref zr, i), Vector256.LoadUnsafe(ref yr, i), out var derivative);
                var factor = scaleVector;
                if (weighted)
                {
                    var w = Vector256.LoadUnsafe(ref wr, i);
                    value *= w;
                    factor *= w;
                }

                var (lower, upper) = Vector256.Widen(value);
                accumulator += lower + upper;
                if (writeGradient)
                {
                    (derivative * factor).StoreUnsafe(ref gr, i);
                }
            }

            sum = Vector256.Sum(accumulator);
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<float>.Count)
        {
            var accumulator = Vector128<double>.Zero;
            var scaleVector = Vector128.Create(scale);
            for (; i + (nuint)Vector128<float>.Count <= n; i += (nuint)Vector128<float>.Count)
            {
                var value = loss.Invoke(Vector128.LoadUnsafe(ref zr, i), Vector128.LoadUnsafe(ref yr, i), out var derivative);
                var factor = scaleVector;
                if (weighted)
                {
                    var w = Vector128.LoadUnsafe(ref wr, i);
                    value *= w;
                    factor *= w;
                }

                var (lower, upper) = Vector128.Widen(value);
                accumulator += lower + upper;
                if (writeGradient)
                {
                    (derivative * factor).StoreUnsafe(ref gr, i);
                }
            }

            sum = Vector128.Sum(accumulator);
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
}
