using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MlNetDeep.Compute;

/// <summary>
/// Zeroed float storage whose first element sits on a 64-byte boundary (a cache line, and one <c>Vector512</c>), in a
/// pinned array, so the boundary holds for the storage's life.
/// </summary>
/// <remarks>
/// A managed array's elements start wherever the allocator put its header, usually 16 bytes into a line, so every
/// full-width load of them touches two lines. Scoring one row reads each weight once from the cache, as fast as the
/// loads go: a 784×512 product of one row took 14 µs on aligned weights against 21 µs on weights 16 bytes off a line
/// (two threads; 27 against 36 µs on one).
/// </remarks>
internal static class AlignedStorage
{
    /// <summary>The alignment, in bytes.</summary>
    public const int Alignment = 64;

    /// <summary>Allocates <paramref name="length"/> zeroed floats starting on a 64-byte boundary.</summary>
    public static unsafe ArraySegment<float> Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        const int Slack = (Alignment / sizeof(float)) - 1;
        var array = GC.AllocateArray<float>(checked(length + Slack), pinned: true);
        var address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        var offset = (int)((Alignment - (address % Alignment)) % Alignment / sizeof(float));
        return new ArraySegment<float>(array, offset, length);
    }
}
