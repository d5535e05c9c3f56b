using System.Diagnostics;
using System.Globalization;
using MlNetDeep.Compute;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>gemm --m M --k K --n N [--threads T] [--form nn|nt|tn|tt] [--seconds S]</c>: times
/// <c>C = op(A)·op(B)</c> (C overwritten) and prints, as its last line,
/// <c>{"op":"gemm","form":…,"m":…,"k":…,"n":…,"threads":…,"gflops":…}</c>.
/// </summary>
/// <remarks>
/// Warms up (tiered JIT) for 30 calls or 2 s, whichever comes first, but at least 3 calls and 0.5 s, then runs batches of about
/// <c>S/7</c> seconds each and reports the best batch: on a shared machine the best batch is the one
/// least disturbed by other processes. eng/openblas_gemm.py measures OpenBLAS the same way.
/// The standard error line also gives GFLOP per CPU-second of the whole process (idle workers spinning included).
/// </remarks>
internal static class GemmCommand
{
    private const int Batches = 7;

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
        var a = Fill(random, (long)m * k);
        var b = Fill(random, (long)k * n);
        var c = new float[(long)m * n];
        void Call() => Gemm.Multiply(transposeA, transposeB, m, n, k, a, b, c, accumulate: false, threads);

        var warm = Stopwatch.StartNew();
        for (var i = 0; i < 3 || (i < 30 && warm.Elapsed.TotalSeconds < 2) || warm.Elapsed.TotalSeconds < 0.5; i++)
        {
            Call();
        }

        // Calls per batch so a batch lasts about seconds / Batches.
        var probe = Stopwatch.StartNew();
        Call();
        var perCall = Math.Max(probe.Elapsed.TotalSeconds, 1e-7);
        var calls = Math.Max(1, (int)(seconds / (double)Batches / perCall));

        var flops = 2.0 * m * n * k;
        var rates = new double[Batches];
        var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        for (var batch = 0; batch < Batches; batch++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < calls; i++)
            {
                Call();
            }

            rates[batch] = flops * calls / watch.Elapsed.TotalSeconds / 1e9;
        }

        process.Refresh();
        var cpuRate = flops * calls * Batches / (process.TotalProcessorTime - cpuStart).TotalSeconds / 1e9;

        Array.Sort(rates);
        Console.Error.WriteLine($"gemm {form} {m}x{k}x{n} threads {threads} kernel {Gemm.BestKernel}: {calls} calls per batch, GFLOP/s min {rates[0]:F1} median {rates[Batches / 2]:F1} best {rates[^1]:F1}; per CPU-second {cpuRate:F1}");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"op\":\"gemm\",\"form\":\"{form}\",\"m\":{m},\"k\":{k},\"n\":{n},\"threads\":{threads},\"gflops\":{rates[^1]:F2}}}"));
        return 0;
    }

    private static float[] Fill(RandomGenerator random, long length)
    {
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextSingle() * 2f) - 1f;
        }

        return values;
    }
}
