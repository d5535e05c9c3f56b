using System.Diagnostics;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Times a call as the <c>gemm</c> and <c>steps</c> commands report it (eng/timing.py does the same for OpenBLAS): a
/// warm-up for tiered compilation (at least 3 calls and 0.5 s, then until 30 calls or 2 s), then
/// <see cref="Batches"/> batches of about <c>seconds / Batches</c> each. The best batch is the headline figure: on a
/// shared machine it is the one least disturbed by other processes.
/// </summary>
internal static class BatchTimer
{
    /// <summary>How many timed batches a run has.</summary>
    public const int Batches = 7;

    /// <summary>Warms up, then times the batches.</summary>
    /// <param name="call">The work of one call.</param>
    /// <param name="seconds">About how long all batches take together.</param>
    /// <returns>The calls in each batch, each batch's seconds per call sorted from slowest to fastest (so rates computed from them ascend), and the process's CPU seconds over all batches.</returns>
    public static (int Calls, double[] SecondsPerCall, double CpuSeconds) Run(Action call, double seconds)
    {
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < 3 || (i < 30 && warm.Elapsed.TotalSeconds < 2) || warm.Elapsed.TotalSeconds < 0.5; i++)
        {
            call();
        }

        var probe = Stopwatch.StartNew();
        call();
        var calls = Math.Max(1, (int)(seconds / Batches / Math.Max(probe.Elapsed.TotalSeconds, 1e-7)));
        var secondsPerCall = new double[Batches];
        var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        for (var batch = 0; batch < Batches; batch++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < calls; i++)
            {
                call();
            }

            secondsPerCall[batch] = watch.Elapsed.TotalSeconds / calls;
        }

        process.Refresh();
        Array.Sort(secondsPerCall, (a, b) => b.CompareTo(a));
        return (calls, secondsPerCall, (process.TotalProcessorTime - cpuStart).TotalSeconds);
    }

    /// <summary>Uniform values in [-1, 1) from <paramref name="random"/>.</summary>
    public static float[] Uniform(Compute.RandomGenerator random, long length)
    {
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextSingle() * 2f) - 1f;
        }

        return values;
    }
}
