namespace MlNetDeep.Layers;

/// <summary>
/// A named, shaped slice of one of the network's contiguous storages (parameters, gradients or buffers).
/// Views never own memory: the network allocates one array per storage and points every view into it.
/// </summary>
internal readonly struct TensorView
{
    public TensorView(float[] storage, int offset, int length)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (offset + length > storage.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"A view of {length} values at {offset} does not fit a storage of {storage.Length}.");
        }

        Storage = storage;
        Offset = offset;
        Length = length;
    }

    /// <summary>The whole storage array this view points into.</summary>
    public float[] Storage { get; }

    /// <summary>Where the view starts in <see cref="Storage"/>.</summary>
    public int Offset { get; }

    /// <summary>How many values the view covers.</summary>
    public int Length { get; }

    /// <summary>The values of the view.</summary>
    public Span<float> Span => Storage.AsSpan(Offset, Length);
}
