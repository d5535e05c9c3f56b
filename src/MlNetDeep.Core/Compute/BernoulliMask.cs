using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MlNetDeep.Compute;

/// <summary>
/// Fills dropout masks fast: each entry is a given value with probability <c>keep</c> and 0 otherwise.
/// </summary>
/// <remarks>
/// Eight independent xorshift128+ streams, seeded from the caller's <see cref="RandomGenerator"/> at every call (so masks
/// are reproducible from the network's seed), each give one 64-bit word per step: two 32-bit uniforms, low word first,
/// compared against <c>keep·2³²</c> with no branch per element. One step decides a block of 16 elements, stream j
/// elements 2j and 2j + 1; the elements past the last whole block take one draw of the caller's generator each. The
/// streams run in the lanes of one 512-bit vector, two 256-bit or four 128-bit vectors, whichever is the widest
/// accelerated width, and the mask is the same bits at every width. xorshift128+ fails some linear-complexity tests in its
/// lowest bits, which does not matter for dropout masks.
/// </remarks>
internal static class BernoulliMask
{
    /// <summary>Elements decided by one step of the eight streams.</summary>
    private const int Block = 16;

    /// <summary>Fills <paramref name="mask"/>: <paramref name="keptValue"/> with probability <paramref name="keep"/>, else 0.</summary>
    public static void Fill(RandomGenerator random, Span<float> mask, float keep, float keptValue)
    {
        if (Simd512.IsHardwareAccelerated)
        {
            Fill<Simd512>(random, mask, keep, keptValue);
        }
        else if (Simd256.IsHardwareAccelerated)
        {
            Fill<Simd256>(random, mask, keep, keptValue);
        }
        else
        {
            Fill<Simd128>(random, mask, keep, keptValue);
        }
    }

    /// <summary>
    /// Draws the same decisions as <see cref="Fill"/> (from the same state of <paramref name="random"/>) and applies them
    /// at once: <c>y = x·keptValue</c> where kept, else <c>x·0</c>; decision i goes to bit <c>i mod 8</c> of
    /// <c>bits[i / 8]</c> (set when kept), for <see cref="ApplyBits"/>. No mask of floats is written.
    /// </summary>
    public static void Apply(RandomGenerator random, ReadOnlySpan<float> x, Span<float> y, Span<byte> bits, float keep, float keptValue)
    {
        if (Simd512.IsHardwareAccelerated)
        {
            Apply<Simd512>(random, x, y, bits, keep, keptValue);
        }
        else if (Simd256.IsHardwareAccelerated)
        {
            Apply<Simd256>(random, x, y, bits, keep, keptValue);
        }
        else
        {
            Apply<Simd128>(random, x, y, bits, keep, keptValue);
        }
    }

    /// <summary><c>y = x·keptValue</c> where <paramref name="bits"/> (as <see cref="Apply"/> writes them) says kept, else <c>x·0</c>.</summary>
    public static void ApplyBits(ReadOnlySpan<byte> bits, ReadOnlySpan<float> x, Span<float> y, float keptValue)
    {
        if (Simd512.IsHardwareAccelerated)
        {
            ApplyBits<Simd512>(bits, x, y, keptValue);
        }
        else if (Simd256.IsHardwareAccelerated)
        {
            ApplyBits<Simd256>(bits, x, y, keptValue);
        }
        else
        {
            ApplyBits<Simd128>(bits, x, y, keptValue);
        }
    }

    /// <summary><see cref="Fill(RandomGenerator, Span{float}, float, float)"/> with the streams in vectors of <typeparamref name="TVec"/>.</summary>
    internal static void Fill<TVec>(RandomGenerator random, Span<float> mask, float keep, float keptValue)
        where TVec : struct, ISimd<TVec>
        => Draw<TVec, MaskSink>(random, mask.Length, keep, new MaskSink(mask, keptValue));

    /// <summary><see cref="Apply(RandomGenerator, ReadOnlySpan{float}, Span{float}, Span{byte}, float, float)"/> with the streams in vectors of <typeparamref name="TVec"/>.</summary>
    internal static void Apply<TVec>(RandomGenerator random, ReadOnlySpan<float> x, Span<float> y, Span<byte> bits, float keep, float keptValue)
        where TVec : struct, ISimd<TVec>
    {
        CheckLengths(x.Length, y.Length, bits.Length);
        Draw<TVec, ApplySink>(random, x.Length, keep, new ApplySink(x, y, bits, keptValue));
    }

    /// <summary><see cref="ApplyBits(ReadOnlySpan{byte}, ReadOnlySpan{float}, Span{float}, float)"/> in vectors of <typeparamref name="TVec"/>.</summary>
    internal static void ApplyBits<TVec>(ReadOnlySpan<byte> bits, ReadOnlySpan<float> x, Span<float> y, float keptValue)
        where TVec : struct, ISimd<TVec>
    {
        CheckLengths(x.Length, y.Length, bits.Length);

        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        ref var br = ref MemoryMarshal.GetReference(bits);
        nuint n = (uint)x.Length;
        nuint i = 0;
        var kept = TVec.Create(keptValue);
        for (; i + Block <= n; i += Block)
        {
            uint word = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref br, i / 8));
            for (nuint lane = 0; lane < Block; lane += (nuint)TVec.Count, word >>= TVec.Count)
            {
                (TVec.Load(ref xr, i + lane) * (TVec.MaskFromBits(word) & kept)).Store(ref yr, i + lane);
            }
        }

        for (; i < n; i++)
        {
            var isKept = (Unsafe.Add(ref br, i / 8) & (1 << (int)(i % 8))) != 0;
            Unsafe.Add(ref yr, i) = Unsafe.Add(ref xr, i) * (isKept ? keptValue : 0f);
        }
    }

    /// <summary>Bytes of bits a mask over <paramref name="count"/> values takes.</summary>
    public static int BitsLength(int count) => (count + 7) / 8;

    private static void CheckLengths(int values, int outputs, int bytes)
    {
        if (outputs < values || bytes < BitsLength(values))
        {
            throw new ArgumentException($"A mask over {values} values needs {values} outputs and {BitsLength(values)} bytes of bits; received {outputs} and {bytes}.");
        }
    }

    /// <summary>
    /// Draws <paramref name="count"/> keep decisions (probability <paramref name="keep"/>) and hands them to
    /// <paramref name="sink"/>: blocks of 16 as vectors of <typeparamref name="TVec"/> (all bits set where kept), then one
    /// by one for the tail.
    /// </summary>
    private static void Draw<TVec, TSink>(RandomGenerator random, int count, float keep, TSink sink)
        where TVec : struct, ISimd<TVec>
        where TSink : IMaskSink, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(random);
        var threshold = keep >= 1f ? uint.MaxValue : (uint)Math.Clamp(Math.Round(keep * 4294967296.0), 0, uint.MaxValue);
        var all = keep >= 1f;
        nuint n = (uint)count;
        nuint i = 0;
        if (n >= Block)
        {
            // Streams 0..7 in 64-bit lanes: the first state words, then the second (made odd so no stream is all zero),
            // in vectors a, b, c, d of Count / 2 streams each (a alone at 512 bits, a and b at 256).
            Span<ulong> seed = stackalloc ulong[Block];
            for (var s = 0; s < Block; s++)
            {
                seed[s] = random.NextUInt64();
            }

            for (var s = Block / 2; s < Block; s++)
            {
                seed[s] |= 1;
            }

            ref var state = ref Unsafe.As<ulong, float>(ref MemoryMarshal.GetReference(seed));
            var step = (nuint)TVec.Count;
            var s0a = TVec.Load(ref state, 0);
            var s1a = TVec.Load(ref state, Block);
            TVec s0b = default, s1b = default, s0c = default, s1c = default, s0d = default, s1d = default;
            if (TVec.Count <= Block / 2)
            {
                s0b = TVec.Load(ref state, step);
                s1b = TVec.Load(ref state, Block + step);
            }

            if (TVec.Count <= Block / 4)
            {
                s0c = TVec.Load(ref state, 2 * step);
                s1c = TVec.Load(ref state, Block + (2 * step));
                s0d = TVec.Load(ref state, 3 * step);
                s1d = TVec.Load(ref state, Block + (3 * step));
            }

            for (; i + Block <= n; i += Block)
            {
                sink.Put(i, Keep(TVec.XorShift128Plus(ref s0a, ref s1a), threshold, all));
                if (TVec.Count <= Block / 2)
                {
                    sink.Put(i + step, Keep(TVec.XorShift128Plus(ref s0b, ref s1b), threshold, all));
                }

                if (TVec.Count <= Block / 4)
                {
                    sink.Put(i + (2 * step), Keep(TVec.XorShift128Plus(ref s0c, ref s1c), threshold, all));
                    sink.Put(i + (3 * step), Keep(TVec.XorShift128Plus(ref s0d, ref s1d), threshold, all));
                }
            }
        }

        for (; i < n; i++)
        {
            sink.Put(i, all || (uint)(random.NextUInt64() >> 32) < threshold);
        }
    }

    /// <summary>All bits set in the lanes whose random word is below <paramref name="threshold"/> (every lane when <paramref name="all"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Keep<TVec>(TVec words, uint threshold, bool all)
        where TVec : struct, ISimd<TVec>
        => all ? TVec.AllBitsSet : TVec.LessThanUnsigned(words, threshold);

    /// <summary>Receives keep decisions: a vector at element <c>i</c> (all bits set where kept), or one.</summary>
    private interface IMaskSink
    {
        void Put<TVec>(nuint i, TVec keepMask)
            where TVec : struct, ISimd<TVec>;

        void Put(nuint i, bool kept);
    }

    /// <summary>Writes the mask as floats: the kept value or 0.</summary>
    private readonly ref struct MaskSink(Span<float> mask, float keptValue) : IMaskSink
    {
        private readonly Span<float> _mask = mask;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put<TVec>(nuint i, TVec keepMask)
            where TVec : struct, ISimd<TVec>
            => (keepMask & TVec.Create(keptValue)).Store(ref MemoryMarshal.GetReference(_mask), i);

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
        public void Put<TVec>(nuint i, TVec keepMask)
            where TVec : struct, ISimd<TVec>
        {
            (TVec.Load(ref MemoryMarshal.GetReference(_x), i) * (keepMask & TVec.Create(keptValue))).Store(ref MemoryMarshal.GetReference(_y), i);
            ref var bitsAt = ref Unsafe.Add(ref MemoryMarshal.GetReference(_bits), i / 8);
            var decided = TVec.ExtractMostSignificantBits(keepMask);
            if (TVec.Count == 16)
            {
                Unsafe.WriteUnaligned(ref bitsAt, (ushort)decided);
            }
            else if (TVec.Count == 8)
            {
                bitsAt = (byte)decided;
            }
            else
            {
                // Four lanes fill half a byte: the low half at a multiple of 8, the high half 4 elements later.
                bitsAt = i % 8 == 0 ? (byte)decided : (byte)(bitsAt | (decided << 4));
            }
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
}
