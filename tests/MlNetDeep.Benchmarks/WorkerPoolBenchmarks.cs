using BenchmarkDotNet.Attributes;
using MlNetDeep.Compute;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// The cost of one <see cref="WorkerPool.Run{TWork}"/> round trip with trivial parts, against
/// <see cref="Parallel.For(int, int, Action{int})"/> doing the same.
/// </summary>
[MemoryDiagnoser]
public class WorkerPoolBenchmarks
{
    private readonly int[] _counts = new int[2];

    [Benchmark(Baseline = true)]
    public void PoolRoundTrip()
    {
        var work = new Increment(_counts);
        WorkerPool.Shared.Run(2, 2, ref work);
    }

    [Benchmark]
    public void ParallelFor() => Parallel.For(0, 2, part => _counts[part]++);

    private readonly struct Increment(int[] counts) : IParallelWork
    {
        public void Execute(int part) => counts[part]++;
    }
}
