using MlNetDeep.Compute;

namespace MlNetDeep.Layers;

/// <summary>
/// What a forward or backward pass runs under: training or inference mode, the random stream that
/// dropout draws its masks from, and how many threads the kernels may use.
/// </summary>
internal sealed class LayerContext
{
    public LayerContext(RandomGenerator random, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Random = random;
        Threads = threads;
    }

    /// <summary>True in training (batch statistics, dropout active), false at inference.</summary>
    public bool Training { get; set; }

    /// <summary>The random stream for dropout masks; seeded by the network, so runs repeat.</summary>
    public RandomGenerator Random { get; }

    /// <summary>How many threads the kernels may use (at least 1).</summary>
    public int Threads { get; }

    /// <summary>
    /// Whether backward adds the parameter gradients into the gradient storage (true, the default) or overwrites
    /// them (false). A training step that starts every gradient from zero overwrites, which spares it the pass
    /// that clears the whole gradient storage and the reads of the old values; the results are the same.
    /// </summary>
    public bool AccumulateGradients { get; set; } = true;
}
