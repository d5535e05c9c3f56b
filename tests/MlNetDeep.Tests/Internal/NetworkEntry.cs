using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace MlNetDeep.Tests.Internal;

/// <summary>
/// The <c>FeedForwardNetwork.bin</c> stream of a saved model <c>.zip</c> (format 0x00010003: the payload, then the XxHash64
/// of the payload), read and replaced as damage or tampering would, and resealed as a tamperer would: with every checksum
/// recomputed to match what the stream now holds.
/// </summary>
public static class NetworkEntry
{
    /// <summary>The stream's name inside the model's folder of the .zip.</summary>
    public const string Name = "FeedForwardNetwork.bin";

    private static readonly byte[] NetworkMagic = "MLNDNET1"u8.ToArray();

    /// <summary>The bytes of the model's network stream in <paramref name="zip"/> (which must hold exactly one).</summary>
    public static byte[] Read(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var stream = Single(archive).Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A copy of <paramref name="zip"/> whose network stream holds <paramref name="entry"/> (the .zip's own CRC rewritten to match).</summary>
    public static byte[] Replace(byte[] zip, byte[] entry)
    {
        using var copy = new MemoryStream();
        copy.Write(zip);
        using (var archive = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            var old = Single(archive);
            var name = old.FullName;
            old.Delete();
            using var stream = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
            stream.Write(entry);
        }

        return copy.ToArray();
    }

    /// <summary>Where the network (NetworkSerializer's bytes) starts in <paramref name="entry"/>, or −1.</summary>
    public static int NetworkOffset(byte[] entry) => entry.AsSpan().IndexOf(NetworkMagic);

    /// <summary>
    /// Recomputes the checksum of the network inside <paramref name="entry"/> when its header still gives a length that
    /// fits, then the stream's own trailing checksum, in place; returns <paramref name="entry"/>.
    /// </summary>
    public static byte[] Reseal(byte[] entry)
    {
        var network = NetworkOffset(entry);
        if (network >= 0 && entry.Length - network >= 16)
        {
            var body = BinaryPrimitives.ReadInt32LittleEndian(entry.AsSpan(network + 12));
            if (body >= 0 && (long)network + 16 + body + 8 <= entry.Length - 8)
            {
                var sealedLength = 16 + body;
                BinaryPrimitives.WriteUInt64LittleEndian(entry.AsSpan(network + sealedLength), XxHash64.HashToUInt64(entry.AsSpan(network, sealedLength)));
            }
        }

        if (entry.Length >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(entry.AsSpan(entry.Length - 8), XxHash64.HashToUInt64(entry.AsSpan(0, entry.Length - 8)));
        }

        return entry;
    }

    /// <summary>
    /// Where the stored values of the network inside <paramref name="entry"/> start: the parameters at
    /// <c>Parameters</c>, the buffers at <c>Buffers</c> (each a float array, little-endian), for a network saved without
    /// optimizer state (as every model saved through ML.NET is).
    /// </summary>
    public static (int Parameters, int Buffers) ValueOffsets(byte[] entry, int parameterCount, int bufferCount)
    {
        var network = NetworkOffset(entry);
        var body = BinaryPrimitives.ReadInt32LittleEndian(entry.AsSpan(network + 12));

        // The body ends with the buffers, the optimizer step count (int64), the state array count (int32) and "END.".
        var buffers = network + 16 + body - 4 - 4 - 8 - (4 * bufferCount);
        var parameters = buffers - 4 - (4 * parameterCount);
        Assert.Equal(bufferCount, BinaryPrimitives.ReadInt32LittleEndian(entry.AsSpan(buffers - 4)));
        Assert.Equal(parameterCount, BinaryPrimitives.ReadInt32LittleEndian(entry.AsSpan(parameters - 4)));
        Assert.Equal("END.", Encoding.ASCII.GetString(entry, network + 16 + body - 4, 4));
        return (parameters, buffers);
    }

    private static ZipArchiveEntry Single(ZipArchive archive)
        => archive.Entries.Single(e => e.Name == Name);
}
