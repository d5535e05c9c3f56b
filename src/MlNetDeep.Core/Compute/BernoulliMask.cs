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
        => Draw(random, mask.Length, keep, new MaskSink(mask, keptValue));

    /// <summary>
    /// Draws the same decisions as <see cref="Fill"/> (from the same state of <paramref name="random"/>) and applies them
    /// at once: <c>y = x·keptValue</c> where kept, else <c>x·0</c>; decision i goes to bit <c>i mod 8</c> of
    /// <c>bits[i / 8]</c> (set when kept), for <see cref="ApplyBits"/>. No mask of floats is written.
    /// </summary>
    public static void Apply(RandomGenerator random, ReadOnlySpan<float> x, Span<float> y, Span<byte> bits, float keep, float keptValue)
    {
        CheckLengths(x.Length, y.Length, bits.Length);

        Draw(random, x.Length, keep, new ApplySink(x, y, bits, keptValue));
    }

    /// <summary><c>y = x·keptValue</c> where <paramref name="bits"/> (as <see cref="Apply"/> writes them) says kept, else <c>x·0</c>.</summary>
    public static void ApplyBits(ReadOnlySpan<byte> bits, ReadOnlySpan<float> x, Span<float> y, float keptValue)
    {
        CheckLengths(x.Length, y.Length, bits.Length);

        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var br = ref MemoryMarshal.GetReference(bits);
        nuint n = (uint)x.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var lanes = Lanes512();
            var kept = Vector512.Create(keptValue);
            for (; i + 16 <= n; i += 16)
            {
                var word = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref br, i / 8));
                var keepMask = Vector512.Equals(Vector512.Create((uint)word) & lanes, lanes);
                (Vector512.LoadUnsafe(ref xr, i) * (keepMask.AsSingle() & kept)).StoreUnsafe(ref yr, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var lanes = Lanes256();
            var kept = Vector256.Create(keptValue);
            for (; i + 8 <= n; i += 8)
            {
                var keepMask = Vector256.Equals(Vector256.Create((uint)Unsafe.Add(ref br, i / 8)) & lanes, lanes);
                (Vector256.LoadUnsafe(ref xr, i) * (keepMask.AsSingle() & kept)).StoreUnsafe(ref yr, i);
            }
        }

        for (; i < n; i++)
        {
            var isKept = (Unsafe.Add(ref br, i / 8) & (1 << (int)(i % 8))) != 0;
            Unsafe.Add(ref yr, i) = Unsafe.Add(ref xr, i) * (isKept ? keptValue : 0f);
        }
    }

    private static void CheckLengths(int values, int outputs, int bytes)
    {
        if (outputs < values || bytes < BitsLength(values))
        {
            throw new ArgumentException($"A mask over {values} values needs {values} outputs and {BitsLength(values)} bytes of bits; received {outputs} and {bytes}.");
        }
    }

    /// <summary>Bytes of bits a mask over <paramref name="count"/> values takes.</summary>
    public static int BitsLength(int count) => (count + 7) / 8;

    /// <summary>
    /// Draws <paramref name="count"/> keep decisions (probability <paramref name="keep"/>) and hands them to
    /// <paramref name="sink"/> as vectors of 16 or 8 lanes (all bits set where kept), then one by one for the tail.
    /// </summary>
    private static void Draw<TSink>(RandomGenerator random, int count, float keep, TSink sink)
        where TSink : IMaskSink, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(random);
        var threshold = keep >= 1f ? uint.MaxValue : (uint)Math.Clamp(Math.Round(keep * 4294967296.0), 0, uint.MaxValue);
        var all = keep >= 1f;
        nuint n = (uint)count;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var s0 = Vector512.Create(random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64());
            var s1 = Vector512.Create(random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64()) | Vector512<ulong>.One;
            var limit = Vector512.Create(threshold);
            for (; i + 16 <= n; i += 16)
            {
                var bits = Next(ref s0, ref s1).AsUInt32();
                sink.Put(i, all ? Vector512<uint>.AllBitsSet : Vector512.LessThan(bits, limit));
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var s0 = Vector256.Create(random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64());
            var s1 = Vector256.Create(random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64()) | Vector256<ulong>.One;
            var limit = Vector256.Create(threshold);
            for (; i + 8 <= n; i += 8)
            {
                var bits = Next(ref s0, ref s1).AsUInt32();
                sink.Put(i, all ? Vector256<uint>.AllBitsSet : Vector256.LessThan(bits, limit));
            }
        }

        for (; i < n; i++)
        {
            sink.Put(i, all || (uint)(random.NextUInt64() >> 32) < threshold);
        }
    }

    private static Vector512<uint> Lanes512() => Vector512.Create(1u, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768);

    private static Vector256<uint> Lanes256() => Vector256.Create(1u, 2, 4, 8, 16, 32, 64, 128);

    /// <summary>Receives keep decisions: 16 or 8 lanes at element <c>i</c> (all bits set where kept), or one.</summary>
    private interface IMaskSink
    {
        void Put(nuint i, Vector512<uint> keepMask);

        void Put(nuint i, Vector256<uint> keepMask);

        void Put(nuint i, bool kept);
    }

    /// <summary>Writes the mask as floats: the kept value or 0.</summary>
    private readonly ref struct MaskSink(Span<float> mask, float keptValue) : IMaskSink
    {
        private readonly Span<float> _mask = mask;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(nuint i, Vector512<uint> keepMask)
            => (keepMask.AsSingle() & Vector512.Create(keptValue)).StoreUnsafe(ref MemoryMarshal.GetReference(_mask), i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(nuint i, Vector256<uint> keepMask)
            => (keepMask.AsSingle() & Vector256.Create(keptValue)).StoreUnsafe(ref MemoryMarshal.GetReference(_mask), i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(nuint i, bool kept) => _mask[(int)i] = kept ? keptValue : 0f;
    }

    /// <summary>Multiplies x by the kept value or 0 into y and records the decisions as bits.</summary>
    private readonly ref struct ApplySink(ReadOnlySpan<float> x, Span<float> y, Span<byte> bits, float keptValue) : IMaskSink
    {
        private readonly ReadOnlySpan<float> _x = x;
        private readonly Span<float> _y = y;
        private readonly Span<byte> _bits = bits;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(nuint i, Vector512<uint> keepMask)
        {
            (Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(_x), i) * (keepMask.AsSingle() & Vector512.Create(keptValue))).StoreUnsafe(ref MemoryMarshal.GetReference(_y), i);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetReference(_bits), i / 8), (ushort)keepMask.ExtractMostSignificantBits());
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(nuint i, Vector256<uint> keepMask)
        {
            (Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(_x), i) * (keepMask.AsSingle() & Vector256.Create(keptValue))).StoreUnsafe(ref MemoryMarshal.GetReference(_y), i);
            Unsafe.Add(ref MemoryMarshal.GetReference(_bits), i / 8) = (byte)keepMask.ExtractMostSignificantBits();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(nuint i, bool kept)
        {
            var index = (int)i;
            _y[index] = _x[index] * (kept ? keptValue : 0f);
            var bit = (byte)(1 << (index % 8));
            _bits[index / 8] = (byte)(kept ? _bits[index / 8] | bit : _bits[index / 8] & ~bit);
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
