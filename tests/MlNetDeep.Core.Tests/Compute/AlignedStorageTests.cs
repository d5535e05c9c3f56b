using MlNetDeep.Compute;
using Xunit;

namespace MlNetDeep.Tests.Compute;

public class AlignedStorageTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(401_408)]
    public unsafe void StartsOnA64ByteBoundaryAndIsZeroed(int length)
    {
        for (var i = 0; i < 20; i++)
        {
            var storage = AlignedStorage.Allocate(length);
            Assert.Equal(length, storage.Count);
            Assert.All(storage, v => Assert.Equal(0f, v));
            if (length > 0)
            {
                fixed (float* first = storage.AsSpan())
                {
                    Assert.Equal(0u, (uint)((nuint)first % AlignedStorage.Alignment));
                }
            }

            // A small allocation between calls moves where the next array starts.
            GC.KeepAlive(new byte[(i * 8) + 1]);
        }
    }

    [Fact]
    public void NegativeLengthIsRefused() => Assert.Throws<ArgumentOutOfRangeException>(() => AlignedStorage.Allocate(-1));
}
