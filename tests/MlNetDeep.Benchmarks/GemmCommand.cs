using System.Globalization;
using MlNetDeep.Compute;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>gemm --m M --k K --n N [--threads T] [--form nn|nt|tn|tt] [--seconds S]</c>: times
/// <c>C = op(A)·op(B)</c> (C overwritten) and prints, as its last line,
/// <c>{"op":"gemm","form":…,"m":…,"k":…,"n":…,"threads":…,"gflops":…}</c>.
/// </summary>
/// <remarks>
/// Timed by <see cref="BatchTimer"/>: warm-up, then batches of about <c>S/7</c> seconds each, the best batch reported.
/// eng/openblas_gemm.py measures OpenBLAS the same way.
/// The standard error line also gives GFLOP per CPU-second of the whole process (idle workers spinning included).
/// </remarks>
internal static class GemmCommand
{
    public static int Run(string[] args)
    {
        var options = new CommandLine(args);
        var m = options.Int("m", 128);
        var k = options.Int("k", 784);
        var n = options.Int("n", 512);
        var threads = options.Int("threads", 1);
        var form = options.String("form", "nn");
        var seconds = options.Int("seconds", 2);
        if (form is not ("nn" or "nt" or "tn" or "tt"))
        {
            throw new ArgumentException($"--form must be nn, nt, tn or tt. Received: {form}.");
        }

        var transposeA = form[0] == 't';
        var transposeB = form[1] == 't';
        var random = new RandomGenerator(1);
        var a = BatchTimer.Uniform(random, (long)m * k);
        var b = BatchTimer.Uniform(random, (long)k * n);
        var c = new float[(long)m * n];
        void Call() => Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, c, accumulate: false, threads);

        var flops = 2.0 * m * n * k;
        var (calls, secondsPerCall, cpuSeconds) = BatchTimer.Run(Call, seconds);
        var rates = secondsPerCall.Select(t => flops / t / 1e9).ToArray();
        var cpuRate = flops * calls * BatchTimer.Batches / cpuSeconds / 1e9;

        Console.Error.WriteLine($"gemm {form} {m}x{k}x{n} threads {threads} kernel {Gemm.BestKernel}: {calls} calls per batch, GFLOP/s min {rates[0]:F1} median {rates[BatchTimer.Batches / 2]:F1} best {rates[^1]:F1}; per CPU-second {cpuRate:F1}");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"op\":\"gemm\",\"form\":\"{form}\",\"m\":{m},\"k\":{k},\"n\":{n},\"threads\":{threads},\"gflops\":{rates[^1]:F2}}}"));
        return 0;
    }
}
