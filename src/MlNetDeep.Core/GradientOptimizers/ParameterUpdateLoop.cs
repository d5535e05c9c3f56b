using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MlNetDeep.Compute;

namespace MlNetDeep.GradientOptimizers;

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

        if (Simd512.IsHardwareAccelerated && n >= (nuint)Simd512.Count)
        {
            i = RunVectors<Simd512, TUpdate>(update, ref p, ref g, ref s0, ref s1, n);
        }
        else if (Simd256.IsHardwareAccelerated && n >= (nuint)Simd256.Count)
        {
            i = RunVectors<Simd256, TUpdate>(update, ref p, ref g, ref s0, ref s1, n);
        }
        else if (Simd128.IsHardwareAccelerated && n >= (nuint)Simd128.Count)
        {
            i = RunVectors<Simd128, TUpdate>(update, ref p, ref g, ref s0, ref s1, n);
        }

        if (Simd128.IsHardwareAccelerated)
        {
            // What the widest vectors left (at most 15 elements) runs in padded 4-lane vectors, not through the
            // scalar rule, so every element sees the same operations: equal inputs give equal results wherever
            // they sit (units that start equal stay equal).
            Span<float> tail = stackalloc float[16];
            var tp = tail[..4];
            var tg = tail.Slice(4, 4);
            var t0 = tail.Slice(8, 4);
            var t1 = tail.Slice(12, 4);
            for (; i < n; i += 4)
            {
                var start = (int)i;
                var count = Math.Min(4, length - start);
                tail.Clear();
                parameters.Slice(start, count).CopyTo(tp);
                gradients.Slice(start, count).CopyTo(tg);
                if (TUpdate.StateCount > 0)
                {
                    state0.Slice(start, count).CopyTo(t0);
                }

                if (TUpdate.StateCount > 1)
                {
                    state1.Slice(start, count).CopyTo(t1);
                }

                ref var tr = ref MemoryMarshal.GetReference(tail);
                var v0 = Simd128.Load(ref tr, 8);
                var v1 = Simd128.Load(ref tr, 12);
                update.Invoke(Simd128.Load(ref tr, 0), Simd128.Load(ref tr, 4), ref v0, ref v1).Store(ref tr, 0);
                v0.Store(ref tr, 8);
                v1.Store(ref tr, 12);
                tp[..count].CopyTo(parameters[start..]);
                if (TUpdate.StateCount > 0)
                {
                    t0[..count].CopyTo(state0[start..]);
                }

                if (TUpdate.StateCount > 1)
                {
                    t1[..count].CopyTo(state1[start..]);
                }
            }

            return;
        }

        var dummy = 0f;
        for (; i < n; i++)
        {
            ref var s0i = ref TUpdate.StateCount > 0 ? ref Unsafe.Add(ref s0, i) : ref dummy;
            ref var s1i = ref TUpdate.StateCount > 1 ? ref Unsafe.Add(ref s1, i) : ref dummy;
            Unsafe.Add(ref p, i) = update.Invoke(Unsafe.Add(ref p, i), Unsafe.Add(ref g, i), ref s0i, ref s1i);
        }
    }
    /// <summary>Whole vectors of <typeparamref name="TVec"/> from the start; returns where they stopped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint RunVectors<TVec, TUpdate>(in TUpdate update, ref float p, ref float g, ref float s0, ref float s1, nuint n)
        where TVec : struct, ISimd<TVec>
        where TUpdate : struct, IParameterUpdate
    {
        var last = n - (nuint)TVec.Count;
        nuint i = 0;
        for (; i <= last; i += (nuint)TVec.Count)
        {
            var v0 = TUpdate.StateCount > 0 ? TVec.Load(ref s0, i) : default;
            var v1 = TUpdate.StateCount > 1 ? TVec.Load(ref s1, i) : default;
            var result = update.Invoke(TVec.Load(ref p, i), TVec.Load(ref g, i), ref v0, ref v1);
            result.Store(ref p, i);
            if (TUpdate.StateCount > 0)
            {
                v0.Store(ref s0, i);
            }

            if (TUpdate.StateCount > 1)
            {
                v1.Store(ref s1, i);
            }
        }

        return i;
    }
}
