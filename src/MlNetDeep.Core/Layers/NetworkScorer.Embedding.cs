namespace MlNetDeep.Layers;

/// <summary>Embeddings: the activations of one hidden block, for featurizing data with a trained network.</summary>
public sealed partial class NetworkScorer
{
    /// <summary>The hidden blocks of the network, in order, with the indices of their layers in the scorer's plan.</summary>
    internal IReadOnlyList<HiddenBlock> HiddenBlocks => _plan.HiddenBlocks;

    /// <summary>The number of hidden blocks, the blocks <see cref="Embed"/> can read (0 for a network without hidden layers).</summary>
    public int HiddenBlockCount => HiddenBlocks.Count;

    /// <summary>Values per row that <see cref="Embed"/> writes for <paramref name="block"/> (−1 is the last block).</summary>
    public int EmbeddingSize(int block = -1) => HiddenBlocks[ResolveBlock(block)].Units;

    /// <summary>
    /// Writes the activations of hidden block <paramref name="block"/> (its activation layer's output, at
    /// inference: batch norm uses its running statistics and dropout is off) for <paramref name="rows"/> raw
    /// feature rows into <paramref name="output"/> <c>[rows, EmbeddingSize(block)]</c>.
    /// </summary>
    /// <param name="input">Raw feature rows <c>[rows, InputSize]</c>; standardized here as in <see cref="Score(ReadOnlySpan{float}, Span{float}, int)"/>.</param>
    /// <param name="output">Receives the activations.</param>
    /// <param name="rows">Rows to embed.</param>
    /// <param name="block">The hidden block, from 0; −1 (the default) is the last hidden block.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> names no hidden block.</exception>
    /// <exception cref="InvalidOperationException">The network has no hidden block.</exception>
    public void Embed(ReadOnlySpan<float> input, Span<float> output, int rows, int block = -1)
    {
        var hidden = HiddenBlocks[ResolveBlock(block)];
        var inputSize = InputSize;
        var units = hidden.Units;
        if (input.Length < rows * inputSize || output.Length < rows * units)
        {
            throw new ArgumentException($"Embedding {rows} rows from block {hidden.Index} needs {rows * inputSize} inputs and {rows * units} outputs; received {input.Length} and {output.Length}.");
        }

        for (var start = 0; start < rows; start += _maxBatch)
        {
            var batch = Math.Min(_maxBatch, rows - start);
            _plan.Run(hidden.ActivationLayer + 1, input.Slice(start * inputSize, batch * inputSize), batch)
                .CopyTo(output.Slice(start * units, batch * units));
        }
    }

    private int ResolveBlock(int block)
    {
        var count = HiddenBlocks.Count;
        if (count == 0)
        {
            throw new InvalidOperationException("The network has no hidden block to take an embedding from.");
        }

        if (block < -1 || block >= count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(block),
                $"The network has {count} hidden blocks: the embedding layer must be in 0..{count - 1}, or −1 for the last. Received: block={block}.");
        }

        return block == -1 ? count - 1 : block;
    }
}
