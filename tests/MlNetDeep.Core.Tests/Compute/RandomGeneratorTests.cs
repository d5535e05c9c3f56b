using MlNetDeep.Compute;
using Xunit;

namespace MlNetDeep.Tests.Compute;

public class RandomGeneratorTests
{
    [Fact]
    public void SameSeedGivesSameSequence()
    {
        var a = new RandomGenerator(42);
        var b = new RandomGenerator(42);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }

        Assert.NotEqual(new RandomGenerator(1).NextUInt64(), new RandomGenerator(2).NextUInt64());
    }

    [Fact]
    public void UniformAndGaussianHaveTheirMoments()
    {
        var random = new RandomGenerator(7);
        const int N = 200_000;
        double sum = 0, sumSq = 0, gsum = 0, gsumSq = 0;
        for (var i = 0; i < N; i++)
        {
            var u = random.NextSingle();
            Assert.InRange(u, 0f, 0.99999994f);
            sum += u;
            sumSq += u * u;
            var g = random.NextGaussian();
            gsum += g;
            gsumSq += g * g;
        }

        Assert.InRange(sum / N, 0.497, 0.503);
        Assert.InRange((sumSq / N) - ((sum / N) * (sum / N)), (1.0 / 12) - 0.002, (1.0 / 12) + 0.002);
        Assert.InRange(gsum / N, -0.01, 0.01);
        Assert.InRange((gsumSq / N) - ((gsum / N) * (gsum / N)), 0.985, 1.015);
    }

    [Fact]
    public void NextIntCoversTheRangeEvenly()
    {
        var random = new RandomGenerator(3);
        var counts = new int[7];
        for (var i = 0; i < 70_000; i++)
        {
            counts[random.NextInt(7)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void ShuffleIsAPermutation()
    {
        var values = Enumerable.Range(0, 1000).ToArray();
        new RandomGenerator(5).Shuffle(values);
        Assert.NotEqual(Enumerable.Range(0, 1000), values);
        Assert.Equal(Enumerable.Range(0, 1000), values.Order());
    }
}
