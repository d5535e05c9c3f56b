// Consumption code in the shape ML.NET Model Builder generates: a ModelInput with one property per CSV column, a
// ModelOutput with the prediction columns, and a static Predict over a lazily created PredictionEngine that loads the
// saved model. Copy this file and TextClassificationModel.zip into an app to use it.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Samples.TextClassification;

public partial class TextClassificationModel
{
    /// <summary>One row of austen.csv: the novel and a passage of about four lines from it.</summary>
    public class ModelInput
    {
        [LoadColumn(0)]
        [ColumnName(@"Label")]
        public string Label { get; set; } = string.Empty;

        [LoadColumn(1)]
        [ColumnName(@"Text")]
        public string Text { get; set; } = string.Empty;
    }

    /// <summary>The model's answer: the novel and the probability of each of the six.</summary>
    public class ModelOutput
    {
        [ColumnName(@"PredictedLabel")]
        public string PredictedLabel { get; set; } = string.Empty;

        [ColumnName(@"Score")]
        public float[] Score { get; set; } = [];
    }

    /// <summary>Where <see cref="Predict"/> loads the model from; set it before the first prediction to use another file.</summary>
    public static string MLNetModelPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "TextClassificationModel.zip");

    /// <summary>The prediction engine, created on first use and shared (PredictionEngine is not thread-safe: one caller at a time).</summary>
    public static readonly Lazy<PredictionEngine<ModelInput, ModelOutput>> PredictEngine = new(CreatePredictEngine, isThreadSafe: true);

    /// <summary>Predicts which of Jane Austen's six novels a passage comes from.</summary>
    public static ModelOutput Predict(ModelInput input) => PredictEngine.Value.Predict(input);

    private static PredictionEngine<ModelInput, ModelOutput> CreatePredictEngine()
    {
        var mlContext = new MLContext();
        var model = mlContext.Model.Load(MLNetModelPath, out _);
        return mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
    }
}
