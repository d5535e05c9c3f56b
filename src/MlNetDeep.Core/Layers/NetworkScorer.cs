using MlNetDeep.ActivationFunctions;
using MlNetDeep.Compute;
using MlNetDeep.Training;

namespace MlNetDeep.Layers;

/// <summary>
/// Inference over a trained <see cref="SequentialNetwork"/> with layers and buffers of its own, so one
/// scorer per thread can run while others score too. Batch normalization and, where the features allow, the
/// input standardization are folded into the dense layers (<see cref="InferenceFolding"/>) when the scorer is
/// created; the other layers read the network's parameters in place.
/// </summary>
internal sealed partial class NetworkScorer
{
    private readonly SequentialNetwork _network;
    private readonly Layer[] _layers;
    private readonly float[][] _activations;
    private readonly LayerContext _context;
    private readonly int _maxBatch;
    private readonly bool _standardizationFolded;

    internal NetworkScorer(SequentialNetwork network, Layer[] layers, int maxBatch, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _network = network;
        _layers = InferenceFolding.Fold(layers, network.InputMean, network.InputScale, out _standardizationFolded);
        _maxBatch = maxBatch;
        (_activations, _, _) = SequentialNetwork.AllocateWorkspace(_layers, network.Spec.InputSize, maxBatch);
        _context = new LayerContext(new RandomGenerator(0), threads) { Training = false };
    }

    /// <summary>Features per input row.</summary>
    public int InputSize => _network.Spec.InputSize;

    /// <summary>Values per output row: class probabilities (multiclass), the logit (binary) or the prediction (regression).</summary>
    public int OutputSize => _network.Spec.OutputSize;

    /// <summary>
    /// Scores <paramref name="rows"/> raw feature rows into <paramref name="output"/> <c>[rows, OutputSize]</c>:
    /// softmax probabilities for multiclass, the logit for binary, the prediction on the original target
    /// scale for regression.
    /// </summary>
    public void Score(ReadOnlySpan<float> input, Span<float> output, int rows)
    {
        var inputSize = InputSize;
        var outputSize = OutputSize;
        if (input.Length < rows * inputSize || output.Length < rows * outputSize)
        {
            throw new ArgumentException($"Scoring {rows} rows needs {rows * inputSize} inputs and {rows * outputSize} outputs; received {input.Length} and {output.Length}.");
        }

        for (var start = 0; start < rows; start += _maxBatch)
        {
            var batch = Math.Min(_maxBatch, rows - start);
            var result = Forward(_layers, input.Slice(start * inputSize, batch * inputSize), batch);
            WriteOutput(result, output.Slice(start * outputSize, batch * outputSize), batch);
        }
    }

    /// <summary>
    /// Runs <paramref name="layers"/> (the network's first ones) on <paramref name="batch"/> raw rows through this scorer's
    /// buffers, dropout under <paramref name="dropoutContext"/> when one is given; returns the last layer's output.
    /// </summary>
    private ReadOnlySpan<float> Forward(ReadOnlySpan<Layer> layers, ReadOnlySpan<float> rows, int batch, LayerContext? dropoutContext = null)
    {
        // A folded standardization is in the first dense layer's weights: the rows go in as they are.
        ReadOnlySpan<float> mean = _standardizationFolded ? [] : _network.InputMean;
        ReadOnlySpan<float> scale = _standardizationFolded ? [] : _network.InputScale;
        return SequentialNetwork.RunForward(layers, _activations, InputSize, mean, scale, rows, batch, _context, dropoutContext);
    }

    /// <summary>Turns the output layer's values into scores: softmax, the logit as is, or the target scale.</summary>
    private void WriteOutput(ReadOnlySpan<float> result, Span<float> target, int batch)
    {
        switch (_network.Spec.Task)
        {
            case TaskKind.Multiclass:
                Softmax.Forward(result, target, batch, OutputSize);
                break;
            case TaskKind.Binary:
                result.CopyTo(target);
                break;
            default:
                var mean = _network.TargetMean;
                var std = _network.TargetStd;
                for (var i = 0; i < batch; i++)
                {
                    target[i] = mean + (std * result[i]);
                }

                break;
        }
    }
}
