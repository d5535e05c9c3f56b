using MlNetDeep.Compute;
using Xunit;

namespace MlNetDeep.Tests.Compute;

public class BernoulliMaskTests
{
    [Theory]
    [InlineData(0.5f)]
    [InlineData(0.8f)]
    [InlineData(0.95f)]
    [InlineData(0.05f)]
    public void KeepsTheRequestedShareWithinSamplingError(float keep)
    {
        var mask = new float[200_003];
        BernoulliMask.Fill(new RandomGenerator(1), mask, keep, 2.5f);
        Assert.All(mask, m => Assert.True(m == 0f || m == 2.5f));
        var share = mask.Count(m => m != 0f) / (double)mask.Length;
        var sigma = Math.Sqrt(keep * (1 - keep) / mask.Length);
        Assert.InRange(share, keep - (5 * sigma), keep + (5 * sigma));
    }

    [Fact]
    public void EveryLengthIsFilledAndNothingBeyond()
    {
        for (var length = 0; length <= 70; length++)
        {
            var buffer = Enumerable.Repeat(-1f, length + 3).ToArray();
            BernoulliMask.Fill(new RandomGenerator(length), buffer.AsSpan(0, length), 0.5f, 1f);
            Assert.All(buffer.Take(length), m => Assert.True(m is 0f or 1f));
            Assert.All(buffer.Skip(length), m => Assert.Equal(-1f, m));
        }
    }

    [Fact]
    public void KeepOneKeepsEverythingAndKeepZeroDropsEverything()
    {
        var mask = new float[1001];
        BernoulliMask.Fill(new RandomGenerator(3), mask, 1f, 1.25f);
        Assert.All(mask, m => Assert.Equal(1.25f, m));
        BernoulliMask.Fill(new RandomGenerator(3), mask, 0f, 1.25f);
        Assert.All(mask, m => Assert.Equal(0f, m));
    }

    [Fact]
    public void SameSeedRepeatsAndSuccessiveCallsDiffer()
    {
        var random = new RandomGenerator(4);
        var first = new float[517];
        var second = new float[517];
        BernoulliMask.Fill(random, first, 0.5f, 1f);
        BernoulliMask.Fill(random, second, 0.5f, 1f);
        Assert.NotEqual(first, second);
        var again = new float[517];
        BernoulliMask.Fill(new RandomGenerator(4), again, 0.5f, 1f);
        Assert.Equal(first, again);
    }

    [Fact]
    public void NeighbouringEntriesAreUncorrelated()
    {
        var mask = new float[100_000];
        BernoulliMask.Fill(new RandomGenerator(5), mask, 0.5f, 1f);
        var both = 0;
        for (var i = 1; i < mask.Length; i++)
        {
            both += mask[i] * mask[i - 1] > 0 ? 1 : 0;
        }

        // P(both kept) = 0.25 for independent entries.
        Assert.InRange(both / (double)(mask.Length - 1), 0.25 - 0.007, 0.25 + 0.007);
    }

    /// <summary>
    /// Applying the mask as it is drawn gives exactly the products with the mask <see cref="BernoulliMask.Fill"/> draws
    /// from the same state, records the decisions as bits (nothing beyond the last value's byte), and
    /// <see cref="BernoulliMask.ApplyBits"/> reproduces them, for every length through the vector widths and tails.
    /// </summary>
    [Fact]
    public void AppliedMasksAndTheirBitsMatchTheFilledMask()
    {
        foreach (var length in Enumerable.Range(0, 70).Append(1001))
        {
            var source = new RandomGenerator(length + 100);
            var x = Enumerable.Range(0, length).Select(_ => (float)source.NextGaussian()).ToArray();
            var mask = new float[length];
            BernoulliMask.Fill(new RandomGenerator(length), mask, 0.7f, 1f / 0.7f);
            var expected = x.Zip(mask, (v, m) => v * m).ToArray();

            var y = new float[length];
            var bits = Enumerable.Repeat((byte)0xA5, BernoulliMask.BitsLength(length) + 2).ToArray();
            BernoulliMask.Apply(new RandomGenerator(length), x, y, bits, 0.7f, 1f / 0.7f);
            Assert.Equal(expected, y);
            for (var i = 0; i < length; i++)
            {
                Assert.Equal(mask[i] != 0f, (bits[i / 8] & (1 << (i % 8))) != 0);
            }

            Assert.All(bits.Skip(BernoulliMask.BitsLength(length)), b => Assert.Equal(0xA5, b));

            var dy = Enumerable.Range(0, length).Select(i => (float)(i - 30)).ToArray();
            var dx = new float[length];
            BernoulliMask.ApplyBits(bits, dy, dx, 1f / 0.7f);
            Assert.Equal(dy.Zip(mask, (v, m) => v * m).ToArray(), dx);
        }
    }

    /// <summary>
    /// The streams run in one 512-bit, two 256-bit or four 128-bit vectors depending on the machine; a seed must give the
    /// same mask, bits and products at every width (each width is forced here; a width the hardware lacks runs in
    /// software, with the same results).
    /// </summary>
    [Fact]
    public void EveryVectorWidthDrawsTheSameMask()
    {
        foreach (var length in Enumerable.Range(0, 70).Append(1001).Append(4099))
        {
            foreach (var keep in new[] { 0.7f, 1f, 0f })
            {
                var source = new RandomGenerator(length + 200);
                var x = Enumerable.Range(0, length).Select(_ => (float)source.NextGaussian()).ToArray();
                var expected = DrawAt<Simd512>(length, keep, x);
                AssertSame(expected, DrawAt<Simd256>(length, keep, x));
                AssertSame(expected, DrawAt<Simd128>(length, keep, x));
                AssertSame(expected, DrawWith(length, keep, x, BernoulliMask.Fill, BernoulliMask.Apply, BernoulliMask.ApplyBits));
            }
        }

        static (float[] Mask, float[] Y, byte[] Bits, float[] Dx, ulong Next) DrawAt<TVec>(int length, float keep, float[] x)
            where TVec : struct, ISimd<TVec>
            => DrawWith(length, keep, x, BernoulliMask.Fill<TVec>, BernoulliMask.Apply<TVec>, BernoulliMask.ApplyBits<TVec>);

        static void AssertSame((float[] Mask, float[] Y, byte[] Bits, float[] Dx, ulong Next) expected, (float[] Mask, float[] Y, byte[] Bits, float[] Dx, ulong Next) actual)
        {
            Assert.Equal(expected.Mask.Select(BitConverter.SingleToInt32Bits), actual.Mask.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(expected.Y.Select(BitConverter.SingleToInt32Bits), actual.Y.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(expected.Bits, actual.Bits);
            Assert.Equal(expected.Dx.Select(BitConverter.SingleToInt32Bits), actual.Dx.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(expected.Next, actual.Next);
        }
    }

    /// <summary>
    /// The stream-to-mask mapping is fixed, at every width, to the scalar definition below: eight xorshift128+ streams
    /// seeded by 16 draws (the second eight made odd), stream j deciding elements 2j (low word) and 2j + 1 (high word) of
    /// each block of 16, one draw per element past the last block. A change of blocking or lane order would change every
    /// trained network with dropout, so it must not pass unnoticed.
    /// </summary>
    [Fact]
    public void MasksFollowTheScalarDefinitionOfTheStreams()
    {
        foreach (var length in new[] { 0, 1, 15, 16, 17, 40, 1001 })
        {
            var expected = Reference(new RandomGenerator(length + 7), length, 0.6f);
            foreach (var fill in new FillMask[] { BernoulliMask.Fill<Simd128>, BernoulliMask.Fill<Simd256>, BernoulliMask.Fill<Simd512>, BernoulliMask.Fill })
            {
                var mask = new float[length];
                fill(new RandomGenerator(length + 7), mask, 0.6f, 1f);
                Assert.Equal(expected, mask.Select(m => m != 0f));
            }
        }

        static bool[] Reference(RandomGenerator random, int length, float keep)
        {
            var threshold = (uint)Math.Round(keep * 4294967296.0);
            var kept = new bool[length];
            var i = 0;
            if (length >= 16)
            {
                var s0 = new ulong[8];
                var s1 = new ulong[8];
                for (var j = 0; j < 8; j++)
                {
                    s0[j] = random.NextUInt64();
                }

                for (var j = 0; j < 8; j++)
                {
                    s1[j] = random.NextUInt64() | 1;
                }

                for (; i + 16 <= length; i += 16)
                {
                    for (var j = 0; j < 8; j++)
                    {
                        var x = s0[j];
                        var y = s1[j];
                        s0[j] = y;
                        x ^= x << 23;
                        s1[j] = x ^ y ^ (x >> 17) ^ (y >> 26);
                        var word = s1[j] + y;
                        kept[i + (2 * j)] = (uint)word < threshold;
                        kept[i + (2 * j) + 1] = (uint)(word >> 32) < threshold;
                    }
                }
            }

            for (; i < length; i++)
            {
                kept[i] = (uint)(random.NextUInt64() >> 32) < threshold;
            }

            return kept;
        }
    }

    private delegate void FillMask(RandomGenerator random, Span<float> mask, float keep, float keptValue);

    private delegate void ApplyMask(RandomGenerator random, ReadOnlySpan<float> x, Span<float> y, Span<byte> bits, float keep, float keptValue);

    private delegate void ApplyMaskBits(ReadOnlySpan<byte> bits, ReadOnlySpan<float> x, Span<float> y, float keptValue);

    private static (float[] Mask, float[] Y, byte[] Bits, float[] Dx, ulong Next) DrawWith(int length, float keep, float[] x, FillMask fill, ApplyMask apply, ApplyMaskBits applyBits)
    {
        var mask = new float[length];
        fill(new RandomGenerator(length), mask, keep, 1.25f);
        var y = new float[length];
        var bits = new byte[BernoulliMask.BitsLength(length)];
        var random = new RandomGenerator(length + 1);
        apply(random, x, y, bits, keep, 2.5f);
        var dx = new float[length];
        applyBits(bits, x, dx, 4f);
        return (mask, y, bits, dx, random.NextUInt64());
    }

    [Fact]
    public void ShortOutputsOrBitsAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => BernoulliMask.Apply(new RandomGenerator(1), new float[17], new float[17], new byte[2], 0.5f, 2f));
        Assert.Contains("needs 17 outputs and 3 bytes of bits; received 17 and 2", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => BernoulliMask.ApplyBits(new byte[3], new float[17], new float[16], 2f));
    }
}
