using MlNetDeep.Compute;
using Xunit;

namespace MlNetDeep.Tests.Compute;

public class GemmTests
{
    private static readonly int[] Sizes = [0, 1, 3, 17, 63, 129];

    public static TheoryData<bool, bool> Forms => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    public static TheoryData<int> Kernels => new() { (int)GemmKernel.Scalar, (int)GemmKernel.Simd128, (int)GemmKernel.Simd256, (int)GemmKernel.Simd512 };

    [Theory]
    [MemberData(nameof(Forms))]
    public void EveryShapeMatchesTheReference(bool transposeA, bool transposeB)
    {
        var random = new RandomGenerator(11);
        foreach (var m in Sizes)
        {
            foreach (var n in Sizes)
            {
                foreach (var k in Sizes)
                {
                    var a = Random(random, m * k);
                    var b = Random(random, k * n);
                    var c0 = Random(random, m * n);
                    var (expected, scale) = Reference(transposeA, transposeB, m, n, k, a, b, c0);

                    var overwritten = Filled(m * n, float.NaN);
                    Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, overwritten, accumulate: false);
                    AssertMatches(expected.Product, scale, overwritten, $"{Form(transposeA, transposeB)} {m}×{n}×{k}");

                    var accumulated = (float[])c0.Clone();
                    Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, accumulated, accumulate: true);
                    AssertMatches(expected.Accumulated, scale, accumulated, $"{Form(transposeA, transposeB)} {m}×{n}×{k} accumulate");

                    var twoThreads = (float[])c0.Clone();
                    Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, twoThreads, accumulate: true, threads: 2);
                    Assert.Equal(accumulated, twoThreads);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void LargeShapesMatchTheReferenceAndAreIdenticalOnTwoThreads(bool transposeA, bool transposeB)
    {
        // 517 crosses two K blocks; 200 crosses two row blocks; 300 is not a multiple of any tile width.
        var random = new RandomGenerator(5);
        const int M = 200, N = 300, K = 517;
        var a = Random(random, M * K);
        var b = Random(random, K * N);
        var c0 = Random(random, M * N);
        var (expected, scale) = Reference(transposeA, transposeB, M, N, K, a, b, c0);

        var one = (float[])c0.Clone();
        Gemm.Multiply(transposeA, transposeB, M, N, K, a, b, one, accumulate: true, threads: 1);
        AssertMatches(expected.Accumulated, scale, one, Form(transposeA, transposeB));

        var two = (float[])c0.Clone();
        Gemm.Multiply(transposeA, transposeB, M, N, K, a, b, two, accumulate: true, threads: 2);
        Assert.Equal(one, two);

        // Split by rows (m > n) as well as by columns.
        const int TallM = 300, TallN = 100, TallK = 400;
        var tall = new float[TallM * TallN];
        var tallTwo = new float[TallM * TallN];
        var at = Random(random, TallM * TallK);
        var bt = Random(random, TallK * TallN);
        Gemm.Multiply(transposeA, transposeB, TallM, TallN, TallK, at, bt, tall, accumulate: false, threads: 1);
        Gemm.Multiply(transposeA, transposeB, TallM, TallN, TallK, at, bt, tallTwo, accumulate: false, threads: 2);
        Assert.Equal(tall, tallTwo);
        var (tallExpected, tallScale) = Reference(transposeA, transposeB, TallM, TallN, TallK, at, bt, new float[TallM * TallN]);
        AssertMatches(tallExpected.Product, tallScale, tall, Form(transposeA, transposeB) + " tall");
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void FewRowsMatchTheReferenceAndAreIdenticalOnTwoThreads(bool transposeA, bool transposeB)
    {
        // One to four rows scored at a time: large enough to be threaded, with a column count that is not a
        // multiple of the 16-column groups the work is split by.
        var random = new RandomGenerator(6);
        foreach (var m in new[] { 1, 2, 4, 5 })
        {
            const int N = 1001, K = 300;
            var a = Random(random, m * K);
            var b = Random(random, K * N);
            var c0 = Random(random, m * N);
            var (expected, scale) = Reference(transposeA, transposeB, m, N, K, a, b, c0);
            var one = (float[])c0.Clone();
            Gemm.Multiply(transposeA, transposeB, m, N, K, a, b, one, accumulate: true, threads: 1);
            AssertMatches(expected.Accumulated, scale, one, Form(transposeA, transposeB) + $" m={m}");
            var two = (float[])c0.Clone();
            Gemm.Multiply(transposeA, transposeB, m, N, K, a, b, two, accumulate: true, threads: 2);
            Assert.Equal(one, two);
            var overwrite = new float[m * N];
            Gemm.Multiply(transposeA, transposeB, m, N, K, a, b, overwrite, accumulate: false, threads: 2);
            AssertMatches(expected.Product, scale, overwrite, Form(transposeA, transposeB) + $" m={m} overwrite");
        }
    }

    /// <summary>
    /// On the few-rows path equal rows of a transposed B give exactly equal results, wherever they fall among the rows
    /// a kernel pass takes together (units of a layer that start equal must stay equal).
    /// </summary>
    [Fact]
    public void FewRowsGiveEqualRowsOfTransposedBEqualResults()
    {
        var random = new RandomGenerator(12);
        foreach (var (n, k) in new[] { (5, 37), (13, 300), (40, 16), (300, 129) })
        {
            var row = Random(random, k);
            var b = Enumerable.Range(0, n).SelectMany(_ => row).ToArray();
            var a = Random(random, 2 * k);
            var c = new float[2 * n];
            Gemm.Multiply(false, true, 2, n, k, a, b, c, accumulate: false, threads: 2);
            Assert.All(c.AsSpan(0, n).ToArray(), v => Assert.Equal(c[0], v));
            Assert.All(c.AsSpan(n, n).ToArray(), v => Assert.Equal(c[n], v));
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void EveryKernelMatchesTheReferenceOnEdgeTiles(int kernelIndex)
    {
        var kernel = (GemmKernel)kernelIndex;
        var random = new RandomGenerator(3);
        foreach (var (transposeA, transposeB) in new[] { (false, false), (false, true), (true, false), (true, true) })
        {
            foreach (var (m, n, k) in new[] { (1, 1, 1), (9, 33, 3), (17, 17, 400), (100, 45, 17) })
            {
                var a = Random(random, m * k);
                var b = Random(random, k * n);
                var c0 = Random(random, m * n);
                var (expected, scale) = Reference(transposeA, transposeB, m, n, k, a, b, c0);
                var c = (float[])c0.Clone();
                Gemm.MultiplyBlocked(kernel, transposeA, transposeB, m, n, k, a, b, c, accumulate: true, threads: 2);
                AssertMatches(expected.Accumulated, scale, c, $"{kernel} {Form(transposeA, transposeB)} {m}×{n}×{k}");

                // Every kernel runs the same fused multiply-adds in the same order.
                var widest = (float[])c0.Clone();
                Gemm.MultiplyBlocked(GemmKernel.Simd512, transposeA, transposeB, m, n, k, a, b, widest, accumulate: true);
                Assert.Equal(widest, c);
            }
        }
    }

    [Fact]
    public void ColumnsBeyondOnePackedPanelAreCovered()
    {
        // n > Nc: the column loop packs op(B) more than once.
        var random = new RandomGenerator(8);
        const int M = 9, N = Gemm.Nc + 104, K = 5;
        var a = Random(random, M * K);
        var b = Random(random, N * K);
        var (expected, scale) = Reference(false, true, M, N, K, a, b, new float[M * N]);
        var c = Filled(M * N, float.NaN);
        Gemm.MultiplyBlocked(Gemm.BestKernel, false, true, M, N, K, a, b, c, accumulate: false, threads: 2);
        AssertMatches(expected.Product, scale, c, "wide");
    }

    [Fact]
    public void LongerSpansAreUsedOnlyUpToTheShape()
    {
        var random = new RandomGenerator(21);
        foreach (var (m, n, k) in new[] { (3, 4, 5), (40, 70, 90) })
        {
            var a = Random(random, (m * k) + 7);
            var b = Random(random, (k * n) + 9);
            var c = Filled((m * n) + 11, 42f);
            Gemm.Multiply(false, false, m, n, k, a, b, c, accumulate: false);
            var (expected, scale) = Reference(false, false, m, n, k, a[..(m * k)], b[..(k * n)], new float[m * n]);
            AssertMatches(expected.Product, scale, c.AsSpan(0, m * n).ToArray(), $"{m}×{n}×{k}");
            Assert.All(c[(m * n)..], v => Assert.Equal(42f, v));
        }
    }

    [Fact]
    public void ZeroDepthClearsOrKeepsC()
    {
        var c = Filled(6, 3f);
        Gemm.Multiply(false, false, 2, 3, 0, [], [], c, accumulate: true);
        Assert.All(c, v => Assert.Equal(3f, v));
        Gemm.Multiply(true, true, 2, 3, 0, [], [], c, accumulate: false);
        Assert.All(c, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, -1, 2, 3, a, b, c, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, -2, 3, a, b, c, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 2, -3, a, b, c, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, b, c, false, threads: 0));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a.AsSpan(0, 5), b, c, false));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, b.AsSpan(0, 5), c, false));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, b, c.AsSpan(0, 3), false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MultiplyBlocked((GemmKernel)99, false, false, 2, 2, 3, a, b, c, false));
    }

    [Fact]
    public void SteadyStateCallsAllocateNothing()
    {
        var random = new RandomGenerator(2);
        const int M = 64, N = 96, K = 200;
        var a = Random(random, M * K);
        var b = Random(random, K * N);
        var c = new float[M * N];
        for (var i = 0; i < 3; i++)
        {
            Gemm.Multiply(false, true, M, N, K, a, b, c, accumulate: false, threads: 2);
            Gemm.Multiply(true, false, 8, 8, 8, a, b, c, accumulate: false);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            Gemm.Multiply(false, true, M, N, K, a, b, c, accumulate: false, threads: 2);
            Gemm.Multiply(true, false, 8, 8, 8, a, b, c, accumulate: false);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static string Form(bool transposeA, bool transposeB) => $"{(transposeA ? 't' : 'n')}{(transposeB ? 't' : 'n')}";

    private static float[] Random(RandomGenerator random, int length)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (random.NextSingle() * 2f) - 1f;
        }

        return values;
    }

    private static float[] Filled(int length, float value)
    {
        var values = new float[length];
        values.AsSpan().Fill(value);
        return values;
    }

    /// <summary>
    /// The product in double precision, with and without C added, and per element the sum of
    /// |products| (plus |C|) that bounds the float rounding error.
    /// </summary>
    private static ((float[] Product, float[] Accumulated) Expected, double[] Scale) Reference(
        bool transposeA, bool transposeB, int m, int n, int k, float[] a, float[] b, float[] c0)
    {
        var product = new float[m * n];
        var accumulated = new float[m * n];
        var scale = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (var p = 0; p < k; p++)
                {
                    double av = transposeA ? a[(p * m) + i] : a[(i * k) + p];
                    double bv = transposeB ? b[(j * k) + p] : b[(p * n) + j];
                    sum += av * bv;
                    magnitude += Math.Abs(av * bv);
                }

                product[(i * n) + j] = (float)sum;
                accumulated[(i * n) + j] = (float)(sum + c0[(i * n) + j]);
                scale[(i * n) + j] = magnitude + Math.Abs(c0[(i * n) + j]);
            }
        }

        return ((product, accumulated), scale);
    }

    private static void AssertMatches(float[] expected, double[] scale, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = (1e-5 * scale[i]) + 1e-7;
            Assert.True(
                Math.Abs(actual[i] - expected[i]) <= tolerance,
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance:G3}).");
        }
    }
}
