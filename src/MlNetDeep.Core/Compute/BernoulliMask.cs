using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetDeep.Compute;

/// <summary>
/// Fills dropout masks fast: each entry is a given value with probability <c>keep</c> and 0 otherwise.
/// </summary>
/// <remarks>
/// Four (or eight) independent xorshift128+ streams run side by side in vector lanes, seeded from the caller's
/// <see cref="RandomGenerator"/> at every call, so masks are reproducible from the network's seed. Each 64-bit
/// draw gives two 32-bit uniforms compared against <c>keep·2³²</c>, with no branch per element. xorshift128+
/// fails some linear-complexity tests in its lowest bits, which does not matter for dropout masks.
/// </remarks>
internal static class BernoulliMask
{
    /// <summary>Fills <paramref name="mask"/>: <paramref name="keptValue"/> with probability <paramref name="keep"/>, else 0.</summary>
    public static void Fill(RandomGenerator random, Span<float> mask, float keep, float keptValue)
    {
        ArgumentNullException.ThrowIfNull(random);
        var threshold = keep >= 1f ? uint.MaxValue : (uint)Math.Clamp(Math.Round(keep * 4294967296.0), 0, uint.MaxValue);
        var all = keep >= 1f;
        ref var target = ref MemoryMarshal.GetReference(mask);
        nuint n = (uint)mask.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var s0 = Vector512.Create(random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64());
            var s1 = Vector512.Create(random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64()) | Vector512<ulong>.One;
            var limit = Vector512.Create(threshold);
            var kept = Vector512.Create(keptValue);
            for (; i + 16 <= n; i += 16)
            {
                var bits = Next(ref s0, ref s1).AsUInt32();
                var keepMask = all ? Vector512<uint>.AllBitsSet : Vector512.LessThan(bits, limit);
                (keepMask.AsSingle() & kept).StoreUnsafe(ref target, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var s0 = Vector256.Create(random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64());
            var s1 = Vector256.Create(random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64()) | Vector256<ulong>.One;
            var limit = Vector256.Create(threshold);
            var kept = Vector256.Create(keptValue);
            for (; i + 8 <= n; i += 8)
            {
                var bits = Next(ref s0, ref s1).AsUInt32();
                var keepMask = all ? Vector256<uint>.AllBitsSet : Vector256.LessThan(bits, limit);
                (keepMask.AsSingle() & kept).StoreUnsafe(ref target, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref target, i) = all || (uint)(random.NextUInt64() >> 32) < threshold ? keptValue : 0f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Next(ref Vector512<ulong> s0, ref Vector512<ulong> s1)
    {
        var x = s0;
        var y = s1;
        s0 = y;
        x ^= Vector512.ShiftLeft(x, 23);
        s1 = x ^ y ^ Vector512.ShiftRightLogical(x, 17) ^ Vector512.ShiftRightLogical(y, 26);
        return s1 + y;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Next(ref Vector256<ulong> s0, ref Vector256<ulong> s1)
    {
        var x = s0;
        var y = s1;
        s0 = y;
        x ^= Vector256.ShiftLeft(x, 23);
        s1 = x ^ y ^ Vector256.ShiftRightLogical(x, 17) ^ Vector256.ShiftRightLogical(y, 26);
        return s1 + y;
    }
}
