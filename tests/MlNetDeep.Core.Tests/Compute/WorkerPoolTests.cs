using MlNetDeep.Compute;
using Xunit;

namespace MlNetDeep.Tests.Compute;

public class WorkerPoolTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 4)]
    [InlineData(7, 2)]
    [InlineData(1000, 4)]
    public void EveryPartRunsExactlyOnce(int parts, int threads)
    {
        var pool = new WorkerPool(4);
        for (var round = 0; round < 50; round++)
        {
            var work = new CountingWork(new int[parts]);
            pool.Run(parts, threads, ref work);
            Assert.All(work.Counts, count => Assert.Equal(1, count));
        }
    }

    [Fact]
    public void ZeroPartsRunNothingAndNegativeIsRejected()
    {
        var work = new CountingWork(new int[1]);
        WorkerPool.Shared.Run(0, 2, ref work);
        Assert.Equal(0, work.Counts[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkerPool.Shared.Run(-1, 2, ref work));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(0));
    }

    [Fact]
    public void OneThreadRunsEverythingOnTheCaller()
    {
        var work = new ThreadRecordingWork(new int[16]);
        new WorkerPool(4).Run(16, 1, ref work);
        Assert.All(work.ThreadIds, id => Assert.Equal(Environment.CurrentManagedThreadId, id));
    }

    [Fact]
    public void SeveralThreadsShareTheParts()
    {
        // Parts that wait for each other can only finish if two threads run them at once.
        var pool = new WorkerPool(2);
        var work = new RendezvousWork(new CountdownEvent(2), new int[2]);
        pool.Run(2, 2, ref work);
        Assert.NotEqual(work.ThreadIds[0], work.ThreadIds[1]);
    }

    [Fact]
    public void PinnedCallsRunEachPartOnTheSameThreadEveryTime()
    {
        var pool = new WorkerPool(3);
        var first = new ThreadRecordingWork(new int[3]);
        pool.Run(3, 3, ref first, pinned: true);
        Assert.Equal(Environment.CurrentManagedThreadId, first.ThreadIds[0]);
        Assert.Equal(3, first.ThreadIds.Distinct().Count());
        for (var round = 0; round < 50; round++)
        {
            var again = new ThreadRecordingWork(new int[3]);
            pool.Run(3, 3, ref again, pinned: true);
            Assert.Equal(first.ThreadIds, again.ThreadIds);
        }

        // More parts than threads: claimed as usual, every part once.
        var counting = new CountingWork(new int[10]);
        pool.Run(10, 3, ref counting, pinned: true);
        Assert.All(counting.Counts, count => Assert.Equal(1, count));
    }

    [Fact]
    public void AnExceptionInAPinnedPartReachesTheCaller()
    {
        var pool = new WorkerPool(2);
        var work = new FailingWork(1);
        Assert.Throws<InvalidOperationException>(() => pool.Run(2, 2, ref work, pinned: true));
        var counting = new CountingWork(new int[2]);
        pool.Run(2, 2, ref counting, pinned: true);
        Assert.All(counting.Counts, count => Assert.Equal(1, count));
    }

    [Fact]
    public void AnExceptionInAPartReachesTheCallerAndThePoolStaysUsable()
    {
        var pool = new WorkerPool(3);
        var failing = new FailingWork(5);
        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(64, 3, ref failing));
        Assert.Equal("part 5", error.Message);

        var work = new CountingWork(new int[64]);
        pool.Run(64, 3, ref work);
        Assert.All(work.Counts, count => Assert.Equal(1, count));
    }

    [Fact]
    public void NestedCallsRunInlineAndComplete()
    {
        var pool = new WorkerPool(3);
        var inner = new int[8 * 16];
        var work = new NestedWork(pool, inner);
        pool.Run(8, 3, ref work);
        Assert.All(inner, count => Assert.Equal(1, count));
    }

    [Fact]
    public void ConcurrentCallersEachGetAllTheirParts()
    {
        var pool = new WorkerPool(3);
        var callers = new Thread[3];
        var failures = 0;
        for (var t = 0; t < callers.Length; t++)
        {
            callers[t] = new Thread(() =>
            {
                for (var round = 0; round < 200; round++)
                {
                    var work = new CountingWork(new int[37]);
                    pool.Run(37, 3, ref work);
                    if (work.Counts.Any(count => count != 1))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            });
            callers[t].Start();
        }

        foreach (var caller in callers)
        {
            caller.Join();
        }

        Assert.Equal(0, failures);
    }

    [Fact]
    public void SteadyStateCallsAllocateNothing()
    {
        // A pool of its own: the shared pool runs calls inline while another test's call holds it, which would
        // leave the handing out of parts to the workers unmeasured.
        var pool = new WorkerPool(2);
        var work = new CountingWork(new int[8]);
        pool.Run(8, 2, ref work);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            pool.Run(8, 2, ref work);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.All(work.Counts, count => Assert.Equal(101, count));
    }

    private readonly struct CountingWork(int[] counts) : IParallelWork
    {
        public int[] Counts { get; } = counts;

        public void Execute(int part) => Interlocked.Increment(ref Counts[part]);
    }

    private readonly struct ThreadRecordingWork(int[] threadIds) : IParallelWork
    {
        public int[] ThreadIds { get; } = threadIds;

        public void Execute(int part) => ThreadIds[part] = Environment.CurrentManagedThreadId;
    }

    private readonly struct RendezvousWork(CountdownEvent both, int[] threadIds) : IParallelWork
    {
        public int[] ThreadIds { get; } = threadIds;

        public void Execute(int part)
        {
            ThreadIds[part] = Environment.CurrentManagedThreadId;
            both.Signal();
            Assert.True(both.Wait(TimeSpan.FromSeconds(10)), "the other part never ran concurrently");
        }
    }

    private readonly struct FailingWork(int failingPart) : IParallelWork
    {
        public void Execute(int part)
        {
            if (part == failingPart)
            {
                throw new InvalidOperationException($"part {part}");
            }
        }
    }

    private readonly struct NestedWork(WorkerPool pool, int[] inner) : IParallelWork
    {
        public void Execute(int part)
        {
            var work = new OffsetCountingWork(inner, part * 16);
            pool.Run(16, 3, ref work);
        }
    }

    private readonly struct OffsetCountingWork(int[] counts, int offset) : IParallelWork
    {
        public void Execute(int part) => Interlocked.Increment(ref counts[offset + part]);
    }
}
