using MlNetDeep.Compute;
using Xunit;

namespace MlNetDeep.Tests.Compute;

/// <summary>
/// The members of <see cref="ISimd{TSelf}"/> that are more than one instruction, at each of the three widths, against
/// their scalar definitions.
/// </summary>
public class SimdTests
{
    [Fact]
    public void WidenedSumsAddEveryLaneInDouble() => ForEachWidth(new WidenedSums());

    [Fact]
    public void MasksRoundTripThroughBits() => ForEachWidth(new MaskBits());

    [Fact]
    public void XorShiftStepsEveryStreamLikeTheScalarGenerator() => ForEachWidth(new XorShift());

    [Fact]
    public void InPlaceMultiplyAddsEqualTheFusedMultiplyAdd() => ForEachWidth(new InPlaceMultiplyAdd());

    private static void ForEachWidth<TCheck>(TCheck check)
        where TCheck : IWidthCheck
    {
        check.Run<Simd128>();
        check.Run<Simd256>();
        check.Run<Simd512>();
    }

    private static float[] Values(int count, int seed)
    {
        var random = new RandomGenerator(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextGaussian() * 1e3)).ToArray();
    }

    private static float[] Lanes<TVec>(TVec vector)
        where TVec : struct, ISimd<TVec>
    {
        var lanes = new float[TVec.Count];
        vector.Store(ref lanes[0], 0);
        return lanes;
    }

    private interface IWidthCheck
    {
        void Run<TVec>()
            where TVec : struct, ISimd<TVec>;
    }

    private readonly struct WidenedSums : IWidthCheck
    {
        public void Run<TVec>()
            where TVec : struct, ISimd<TVec>
        {
            var values = Values(TVec.Count * 3, TVec.Count);
            var sum = TVec.Zero;
            var squares = TVec.Zero;
            for (var i = 0; i < 3; i++)
            {
                var v = TVec.Load(ref values[0], (nuint)(i * TVec.Count));
                sum = TVec.AddWidened(sum, v);
                squares = TVec.AddWidenedSquares(squares, v);
            }

            Assert.Equal(values.Sum(v => (double)v), TVec.SumWidened(sum), 9);
            Assert.Equal(values.Sum(v => (double)v * v) / 1e6, TVec.SumWidened(squares) / 1e6, 9);
        }
    }

    private readonly struct MaskBits : IWidthCheck
    {
        public void Run<TVec>()
            where TVec : struct, ISimd<TVec>
        {
            var all = (1u << TVec.Count) - 1;
            foreach (var bits in new[] { 0u, 1u, 0b1010u, all, all & 0x9C35u })
            {
                var mask = TVec.MaskFromBits(bits);
                Assert.Equal(bits, TVec.ExtractMostSignificantBits(mask));
                Assert.All(Lanes(mask).Select((m, i) => (m, i)), lane => Assert.Equal((bits >> lane.i) & 1, BitConverter.SingleToUInt32Bits(lane.m) == uint.MaxValue ? 1u : 0u));
            }
        }
    }

    private readonly struct XorShift : IWidthCheck
    {
        public void Run<TVec>()
            where TVec : struct, ISimd<TVec>
        {
            var streams = TVec.Count / 2;
            var random = new RandomGenerator(streams);
            var state = Enumerable.Range(0, 2 * streams).Select(_ => random.NextUInt64() | 1).ToArray();
            var words = new float[2 * TVec.Count];
            Buffer.BlockCopy(state, 0, words, 0, words.Length * sizeof(float));
            var s0 = TVec.Load(ref words[0], 0);
            var s1 = TVec.Load(ref words[0], (nuint)TVec.Count);
            for (var step = 0; step < 3; step++)
            {
                var output = Lanes(TVec.XorShift128Plus(ref s0, ref s1));
                var limit = 1u << 31;
                var below = Lanes(TVec.LessThanUnsigned(TVec.XorShift128Plus(ref s0, ref s1), limit));
                for (var j = 0; j < streams; j++)
                {
                    var expected = Next(ref state[j], ref state[streams + j]);
                    Assert.Equal((uint)expected, BitConverter.SingleToUInt32Bits(output[2 * j]));
                    Assert.Equal((uint)(expected >> 32), BitConverter.SingleToUInt32Bits(output[(2 * j) + 1]));
                    var second = Next(ref state[j], ref state[streams + j]);
                    Assert.Equal((uint)second < limit, BitConverter.SingleToUInt32Bits(below[2 * j]) == uint.MaxValue);
                    Assert.Equal((uint)(second >> 32) < limit, BitConverter.SingleToUInt32Bits(below[(2 * j) + 1]) == uint.MaxValue);
                }
            }
        }

        private static ulong Next(ref ulong s0, ref ulong s1)
        {
            var x = s0;
            var y = s1;
            s0 = y;
            x ^= x << 23;
            s1 = x ^ y ^ (x >> 17) ^ (y >> 26);
            return s1 + y;
        }
    }

    private readonly unsafe struct InPlaceMultiplyAdd : IWidthCheck
    {
        public void Run<TVec>()
            where TVec : struct, ISimd<TVec>
        {
            var a = Values(TVec.Count, 1);
            var b = Values(TVec.Count, 2);
            var c = Values(TVec.Count, 3);
            var va = TVec.Load(ref a[0], 0);
            var vb = TVec.Load(ref b[0], 0);
            var accumulator = TVec.Load(ref c[0], 0);
            accumulator.FusedMultiplyAddInPlace(va, vb);
            var fromMemory = TVec.Load(ref c[0], 0);
            fixed (float* pb = b)
            {
                fromMemory.FusedMultiplyAddInPlace(va, pb);
            }

            var expected = c.Select((ci, i) => MathF.FusedMultiplyAdd(a[i], b[i], ci)).ToArray();
            Assert.Equal(expected, Lanes(accumulator));
            Assert.Equal(expected, Lanes(fromMemory));
            Assert.Equal(expected, Lanes(TVec.FusedMultiplyAdd(va, vb, TVec.Load(ref c[0], 0))));
        }
    }
}
