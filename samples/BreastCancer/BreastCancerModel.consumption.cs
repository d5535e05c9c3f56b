// Consumption code in the shape ML.NET Model Builder generates: a ModelInput with one property per CSV
// column, a ModelOutput with the prediction columns, and a static Predict over a lazily created
// PredictionEngine that loads the saved model. Copy this file and BreastCancerModel.zip into an app to use it.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Samples.BreastCancer;

public partial class BreastCancerModel
{
    /// <summary>One row of breast_cancer.csv. Label: false = malignant, true = benign.</summary>
    public class ModelInput
    {
        [LoadColumn(0)]
        [ColumnName(@"Label")]
        public bool Label { get; set; }

        [LoadColumn(1)]
        [ColumnName(@"mean_radius")]
        public float MeanRadius { get; set; }

        [LoadColumn(2)]
        [ColumnName(@"mean_texture")]
        public float MeanTexture { get; set; }

        [LoadColumn(3)]
        [ColumnName(@"mean_perimeter")]
        public float MeanPerimeter { get; set; }

        [LoadColumn(4)]
        [ColumnName(@"mean_area")]
        public float MeanArea { get; set; }

        [LoadColumn(5)]
        [ColumnName(@"mean_smoothness")]
        public float MeanSmoothness { get; set; }

        [LoadColumn(6)]
        [ColumnName(@"mean_compactness")]
        public float MeanCompactness { get; set; }

        [LoadColumn(7)]
        [ColumnName(@"mean_concavity")]
        public float MeanConcavity { get; set; }

        [LoadColumn(8)]
        [ColumnName(@"mean_concave_points")]
        public float MeanConcavePoints { get; set; }

        [LoadColumn(9)]
        [ColumnName(@"mean_symmetry")]
        public float MeanSymmetry { get; set; }

        [LoadColumn(10)]
        [ColumnName(@"mean_fractal_dimension")]
        public float MeanFractalDimension { get; set; }

        [LoadColumn(11)]
        [ColumnName(@"radius_error")]
        public float RadiusError { get; set; }

        [LoadColumn(12)]
        [ColumnName(@"texture_error")]
        public float TextureError { get; set; }

        [LoadColumn(13)]
        [ColumnName(@"perimeter_error")]
        public float PerimeterError { get; set; }

        [LoadColumn(14)]
        [ColumnName(@"area_error")]
        public float AreaError { get; set; }

        [LoadColumn(15)]
        [ColumnName(@"smoothness_error")]
        public float SmoothnessError { get; set; }

        [LoadColumn(16)]
        [ColumnName(@"compactness_error")]
        public float CompactnessError { get; set; }

        [LoadColumn(17)]
        [ColumnName(@"concavity_error")]
        public float ConcavityError { get; set; }

        [LoadColumn(18)]
        [ColumnName(@"concave_points_error")]
        public float ConcavePointsError { get; set; }

        [LoadColumn(19)]
        [ColumnName(@"symmetry_error")]
        public float SymmetryError { get; set; }

        [LoadColumn(20)]
        [ColumnName(@"fractal_dimension_error")]
        public float FractalDimensionError { get; set; }

        [LoadColumn(21)]
        [ColumnName(@"worst_radius")]
        public float WorstRadius { get; set; }

        [LoadColumn(22)]
        [ColumnName(@"worst_texture")]
        public float WorstTexture { get; set; }

        [LoadColumn(23)]
        [ColumnName(@"worst_perimeter")]
        public float WorstPerimeter { get; set; }

        [LoadColumn(24)]
        [ColumnName(@"worst_area")]
        public float WorstArea { get; set; }

        [LoadColumn(25)]
        [ColumnName(@"worst_smoothness")]
        public float WorstSmoothness { get; set; }

        [LoadColumn(26)]
        [ColumnName(@"worst_compactness")]
        public float WorstCompactness { get; set; }

        [LoadColumn(27)]
        [ColumnName(@"worst_concavity")]
        public float WorstConcavity { get; set; }

        [LoadColumn(28)]
        [ColumnName(@"worst_concave_points")]
        public float WorstConcavePoints { get; set; }

        [LoadColumn(29)]
        [ColumnName(@"worst_symmetry")]
        public float WorstSymmetry { get; set; }

        [LoadColumn(30)]
        [ColumnName(@"worst_fractal_dimension")]
        public float WorstFractalDimension { get; set; }
    }

    /// <summary>The model's answer.</summary>
    public class ModelOutput
    {
        [ColumnName(@"PredictedLabel")]
        public bool PredictedLabel { get; set; }

        [ColumnName(@"Probability")]
        public float Probability { get; set; }

        [ColumnName(@"Score")]
        public float Score { get; set; }
    }

    /// <summary>Where <see cref="Predict"/> loads the model from; set it before the first prediction to use another file.</summary>
    public static string MLNetModelPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "BreastCancerModel.zip");

    /// <summary>The prediction engine, created on first use and shared (PredictionEngine is not thread-safe: one caller at a time).</summary>
    public static readonly Lazy<PredictionEngine<ModelInput, ModelOutput>> PredictEngine = new(CreatePredictEngine, isThreadSafe: true);

    /// <summary>Predicts whether a tumour is benign (true) or malignant (false).</summary>
    public static ModelOutput Predict(ModelInput input) => PredictEngine.Value.Predict(input);

    private static PredictionEngine<ModelInput, ModelOutput> CreatePredictEngine()
    {
        var mlContext = new MLContext();
        var model = mlContext.Model.Load(MLNetModelPath, out _);
        return mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
    }
}
