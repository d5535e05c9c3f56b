using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetDeep.Optimizers;

/// <summary>
/// Runs an <see cref="IParameterUpdate"/> over a parameter span in one fused pass: full vectors of the widest
/// accelerated width (512, 256 or 128 bits), then a scalar tail. Parameters and state are updated in place.
/// </summary>
internal static class ParameterUpdateLoop
{
    /// <summary>
    /// Applies <paramref name="update"/> to every element. <paramref name="state0"/> and <paramref name="state1"/>
    /// must be at least as long as <paramref name="parameters"/> when the rule uses them, and may be empty otherwise.
    /// </summary>
    public static void Run<TUpdate>(in TUpdate update, Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> state0, Span<float> state1)
        where TUpdate : struct, IParameterUpdate
    {
        var length = parameters.Length;
        if (gradients.Length != length
            || (TUpdate.StateCount > 0 && state0.Length < length)
            || (TUpdate.StateCount > 1 && state1.Length < length))
        {
            throw new ArgumentException(
                $"Optimizer step over {length} parameters received {gradients.Length} gradients and state of {state0.Length} and {state1.Length} values.");
        }

        ref var p = ref MemoryMarshal.GetReference(parameters);
        ref var g = ref MemoryMarshal.GetReference(gradients);
        ref var s0 = ref MemoryMarshal.GetReference(state0);
        ref var s1 = ref MemoryMarshal.GetReference(state1);
        nuint n = (uint)length;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            var last = n - (nuint)Vector512<float>.Count;
            for (; i <= last; i += (nuint)Vector512<float>.Count)
            {
                var v0 = TUpdate.StateCount > 0 ? Vector512.LoadUnsafe(ref s0, i) : default;
                var v1 = TUpdate.StateCount > 1 ? Vector512.LoadUnsafe(ref s1, i) : default;
                var result = update.Invoke(Vector512.LoadUnsafe(ref p, i), Vector512.LoadUnsafe(ref g, i), ref v0, ref v1);
                result.StoreUnsafe(ref p, i);
                if (TUpdate.StateCount > 0)
                {
                    v0.StoreUnsafe(ref s0, i);
                }

                if (TUpdate.StateCount > 1)
                {
                    v1.StoreUnsafe(ref s1, i);
                }
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            var last = n - (nuint)Vector256<float>.Count;
            for (; i <= last; i += (nuint)Vector256<float>.Count)
            {
                var v0 = TUpdate.StateCount > 0 ? Vector256.LoadUnsafe(ref s0, i) : default;
                var v1 = TUpdate.StateCount > 1 ? Vector256.LoadUnsafe(ref s1, i) : default;
                var result = update.Invoke(Vector256.LoadUnsafe(ref p, i), Vector256.LoadUnsafe(ref g, i), ref v0, ref v1);
                result.StoreUnsafe(ref p, i);
                if (TUpdate.StateCount > 0)
                {
                    v0.StoreUnsafe(ref s0, i);
                }

                if (TUpdate.StateCount > 1)
                {
                    v1.StoreUnsafe(ref s1, i);
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<float>.Count)
        {
            var last = n - (nuint)Vector128<float>.Count;
            for (; i <= last; i += (nuint)Vector128<float>.Count)
            {
                var v0 = TUpdate.StateCount > 0 ? Vector128.LoadUnsafe(ref s0, i) : default;
                var v1 = TUpdate.StateCount > 1 ? Vector128.LoadUnsafe(ref s1, i) : default;
                var result = update.Invoke(Vector128.LoadUnsafe(ref p, i), Vector128.LoadUnsafe(ref g, i), ref v0, ref v1);
                result.StoreUnsafe(ref p, i);
                if (TUpdate.StateCount > 0)
                {
                    v0.StoreUnsafe(ref s0, i);
                }

                if (TUpdate.StateCount > 1)
                {
                    v1.StoreUnsafe(ref s1, i);
                }
            }
        }

        var dummy = 0f;
        for (; i < n; i++)
        {
            ref var t0 = ref TUpdate.StateCount > 0 ? ref Unsafe.Add(ref s0, i) : ref dummy;
            ref var t1 = ref TUpdate.StateCount > 1 ? ref Unsafe.Add(ref s1, i) : ref dummy;
            Unsafe.Add(ref p, i) = update.Invoke(Unsafe.Add(ref p, i), Unsafe.Add(ref g, i), ref t0, ref t1);
        }
    }
}
