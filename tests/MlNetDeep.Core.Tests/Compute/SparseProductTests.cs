using MlNetDeep.Compute;
using Xunit;

namespace MlNetDeep.Tests.Compute;

public class SparseProductTests
{
    private static readonly int[] Sizes = [0, 1, 3, 17, 64];

    /// <summary>A random CSR matrix [m, k] with about <paramref name="density"/> of its entries non-zero, its rows starting at <paramref name="offset"/>.</summary>
    internal static (float[] Values, int[] Indices, int[] RowStarts, float[] Dense) RandomCsr(RandomGenerator random, int m, int k, double density, int offset = 0)
    {
        var values = new List<float>(Enumerable.Repeat(float.NaN, offset));
        var indices = new List<int>(Enumerable.Repeat(-1, offset));
        var rowStarts = new int[m + 1];
        var dense = new float[m * k];
        rowStarts[0] = offset;
        for (var r = 0; r < m; r++)
        {
            for (var c = 0; c < k; c++)
            {
                if (random.NextDouble() < density)
                {
                    var v = (float)((random.NextDouble() * 2) - 1);
                    values.Add(v);
                    indices.Add(c);
                    dense[(r * k) + c] = v;
                }
            }

            rowStarts[r + 1] = values.Count;
        }

        return ([.. values], [.. indices], rowStarts, dense);
    }

    private static float[] Random(RandomGenerator random, int length) => Enumerable.Range(0, length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();

    [Fact]
    public void TheForwardProductMatchesTheDenseReference()
    {
        var random = new RandomGenerator(3);
        foreach (var m in Sizes)
        {
            foreach (var n in Sizes)
            {
                foreach (var k in Sizes)
                {
                    var (values, indices, rowStarts, dense) = RandomCsr(random, m, k, 0.2, offset: m % 3);
                    var w = Random(random, n * k);
                    var expected = new double[m * n];
                    for (var r = 0; r < m; r++)
                    {
                        for (var j = 0; j < n; j++)
                        {
                            for (var i = 0; i < k; i++)
                            {
                                expected[(r * n) + j] += (double)dense[(r * k) + i] * w[(j * k) + i];
                            }
                        }
                    }

                    var c = Enumerable.Repeat(float.NaN, m * n).ToArray();
                    SparseProduct.MultiplyTransposed(m, n, k, values, indices, rowStarts, w, c);
                    for (var e = 0; e < c.Length; e++)
                    {
                        Assert.True(Math.Abs(c[e] - expected[e]) <= 1e-5 * (1 + Math.Abs(expected[e])), $"{m}×{n}×{k} [{e}]: {c[e]} against {expected[e]}");
                    }

                    var twoThreads = new float[m * n];
                    SparseProduct.MultiplyTransposed(m, n, k, values, indices, rowStarts, w, twoThreads, threads: 2);
                    Assert.Equal(c, twoThreads);
                }
            }
        }
    }

    [Fact]
    public void TheGradientMatchesTheDenseReferenceWrittenOrAccumulated()
    {
        var random = new RandomGenerator(5);
        foreach (var m in Sizes)
        {
            foreach (var n in Sizes)
            {
                foreach (var k in Sizes)
                {
                    var (values, indices, rowStarts, dense) = RandomCsr(random, m, k, 0.2, offset: 2);
                    var d = Random(random, m * n);
                    var g0 = Random(random, n * k);
                    var expected = new double[n * k];
                    for (var j = 0; j < n; j++)
                    {
                        for (var i = 0; i < k; i++)
                        {
                            for (var r = 0; r < m; r++)
                            {
                                expected[(j * k) + i] += (double)d[(r * n) + j] * dense[(r * k) + i];
                            }
                        }
                    }

                    var written = Enumerable.Repeat(float.NaN, n * k).ToArray();
                    SparseProduct.TransposeMultiply(m, n, k, d, values, indices, rowStarts, written, accumulate: false);
                    var accumulated = (float[])g0.Clone();
                    SparseProduct.TransposeMultiply(m, n, k, d, values, indices, rowStarts, accumulated, accumulate: true);
                    for (var e = 0; e < written.Length; e++)
                    {
                        Assert.True(Math.Abs(written[e] - expected[e]) <= 1e-5 * (1 + Math.Abs(expected[e])), $"{m}×{n}×{k} [{e}]: {written[e]} against {expected[e]}");
                        Assert.True(Math.Abs(accumulated[e] - (expected[e] + g0[e])) <= 1e-5 * (1 + Math.Abs(expected[e])), $"{m}×{n}×{k} accumulated [{e}]");
                    }

                    var twoThreads = (float[])g0.Clone();
                    SparseProduct.TransposeMultiply(m, n, k, d, values, indices, rowStarts, twoThreads, accumulate: true, threads: 2);
                    Assert.Equal(accumulated, twoThreads);
                }
            }
        }
    }

    [Fact]
    public void LargeProductsSplitOverThreadsGiveTheSameBits()
    {
        var random = new RandomGenerator(8);
        const int m = 96, n = 130, k = 2000;
        var (values, indices, rowStarts, _) = RandomCsr(random, m, k, 0.02);
        var w = Random(random, n * k);
        var d = Random(random, m * n);
        var one = new float[m * n];
        var two = new float[m * n];
        SparseProduct.MultiplyTransposed(m, n, k, values, indices, rowStarts, w, one);
        SparseProduct.MultiplyTransposed(m, n, k, values, indices, rowStarts, w, two, threads: 2);
        Assert.Equal(one, two);

        var gradientOne = new float[n * k];
        var gradientTwo = new float[n * k];
        SparseProduct.TransposeMultiply(m, n, k, d, values, indices, rowStarts, gradientOne, accumulate: false);
        SparseProduct.TransposeMultiply(m, n, k, d, values, indices, rowStarts, gradientTwo, accumulate: false, threads: 2);
        Assert.Equal(gradientOne, gradientTwo);
    }

    [Fact]
    public void ShortSpansAreRejected()
    {
        int[] rowStarts = [0, 2];
        Assert.Throws<ArgumentException>(() => SparseProduct.MultiplyTransposed(1, 2, 3, new float[1], new int[2], rowStarts, new float[6], new float[2]));
        Assert.Throws<ArgumentException>(() => SparseProduct.MultiplyTransposed(2, 2, 3, new float[2], new int[2], rowStarts, new float[6], new float[4]));
        Assert.Throws<ArgumentException>(() => SparseProduct.TransposeMultiply(1, 2, 3, new float[2], new float[2], new int[2], rowStarts, new float[5], accumulate: false));
    }
}
