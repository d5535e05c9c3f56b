namespace MlNetDeep.Tests.TestUtilities;

/// <summary>Measures the managed memory a piece of work allocates on the calling thread once it runs steadily.</summary>
internal static class Allocations
{
    /// <summary>
    /// The fewest bytes <paramref name="work"/> allocated over up to five rounds: an allocation the work makes every time
    /// shows in every round, while a one-off of the runtime (a method compiled again at a higher tier on this thread)
    /// shows in one round only.
    /// </summary>
    public static long Steady(Action work)
    {
        var fewest = long.MaxValue;
        for (var round = 0; round < 5 && fewest > 0; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            work();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }
}
