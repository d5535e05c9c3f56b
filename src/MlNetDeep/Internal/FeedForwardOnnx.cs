using Microsoft.ML.Model.OnnxConverter;
using MlNetDeep.Export;
using MlNetDeep.Layers;
using MlNetDeep.Training;

namespace MlNetDeep.Internal;

/// <summary>Writes trained networks into ML.NET's ONNX export through the engine's <see cref="OnnxNetworkWriter"/>.</summary>
internal static class FeedForwardOnnx
{
    /// <summary>Throws <see cref="NotSupportedException"/> naming the option when the model scores in a way ONNX cannot.</summary>
    public static void CheckExportable(int monteCarloDropoutPasses)
    {
        if (monteCarloDropoutPasses > 0)
        {
            throw new NotSupportedException(
                $"This FeedForward model scores with Monte Carlo dropout (MonteCarloDropoutPasses = {monteCarloDropoutPasses}): its predictions average random dropout masks, which an ONNX graph cannot draw. Train with MonteCarloDropoutPasses = 0 to export it to ONNX.");
        }
    }

    /// <summary>
    /// Writes <paramref name="network"/>'s columns from <paramref name="features"/> into <paramref name="outputNames"/>,
    /// the ML.NET scorer's output values in column order (see <see cref="FeedForwardModelParameters"/>), the last of
    /// them the uncertainty when <paramref name="withUncertainty"/>.
    /// </summary>
    public static void WriteScores(OnnxContext ctx, SequentialNetwork network, string features, string[] outputNames, bool withUncertainty)
    {
        ArgumentNullException.ThrowIfNull(outputNames);
        OnnxContextGraph.CheckOpSet(ctx);
        var task = network.Spec.Task;
        var expected = (task switch { TaskKind.Multiclass => 2, TaskKind.Binary => 3, _ => 1 }) + (withUncertainty ? 1 : 0);
        if (outputNames.Length != expected)
        {
            throw new InvalidOperationException($"ML.NET asked the {task} feed-forward model for {outputNames.Length} ONNX outputs ({string.Join(", ", outputNames)}); it writes {expected}.");
        }

        var uncertainty = withUncertainty ? outputNames[^1] : null;
        var outputs = task switch
        {
            TaskKind.Multiclass => new OnnxScoreOutputs(outputNames[1], PredictedLabel: outputNames[0], Uncertainty: uncertainty),
            TaskKind.Binary => new OnnxScoreOutputs(outputNames[1], Probability: outputNames[2], Uncertainty: uncertainty),
            _ => new OnnxScoreOutputs(outputNames[0], Uncertainty: uncertainty),
        };
        OnnxNetworkWriter.WriteScores(new OnnxContextGraph(ctx), network, features, outputs);
    }
}
