using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;
using MlNetDeep.Internal;

namespace MlNetDeep;

// The model's part in mlContext.Model.ConvertToOnnx. ML.NET's scorers ask the model, as the pipeline's bindable mapper,
// whether it can be written (CanSaveOnnx) and then to write its columns (SaveAsOnnx) from the feature column's ONNX value.
public sealed partial class FeedForwardModelParameters : IBindableCanSaveOnnx
{
    /// <summary>
    /// True when the model can be written to ONNX; a model that scores with Monte Carlo dropout throws instead, since
    /// answering false would let the export leave the network out of the graph with only a warning.
    /// </summary>
    bool ICanSaveOnnx.CanSaveOnnx(OnnxContext ctx)
    {
        FeedForwardOnnx.CheckExportable(MonteCarloDropoutPasses);
        return true;
    }

    /// <summary>
    /// Writes the model's columns: <paramref name="outputNames"/> are the scorer's columns in order — multiclass
    /// PredictedLabel and Score, binary PredictedLabel (which the scorer writes itself), Score and Probability,
    /// regression Score — then Uncertainty for an ensemble.
    /// </summary>
    bool IBindableCanSaveOnnx.SaveAsOnnx(OnnxContext ctx, RoleMappedSchema schema, string[] outputNames)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(schema);
        FeedForwardOnnx.CheckExportable(MonteCarloDropoutPasses);
        var feature = schema.Feature?.Name
            ?? throw new InvalidOperationException("The feed-forward model was bound without a feature column, so it cannot be written to ONNX.");
        if (!ctx.ContainsColumn(feature))
        {
            return false;
        }

        FeedForwardOnnx.WriteScores(ctx, _network, ctx.GetVariableName(feature), outputNames, withUncertainty: _network.Spec.EnsembleSize > 1);
        return true;
    }
}
