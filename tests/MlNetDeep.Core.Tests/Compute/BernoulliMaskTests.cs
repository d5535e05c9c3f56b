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

    [Fact]
    public void ShortOutputsOrBitsAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => BernoulliMask.Apply(new RandomGenerator(1), new float[17], new float[17], new byte[2], 0.5f, 2f));
        Assert.Contains("needs 17 outputs and 3 bytes of bits; received 17 and 2", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => BernoulliMask.ApplyBits(new byte[3], new float[17], new float[16], 2f));
    }
}
