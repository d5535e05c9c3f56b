using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MlNetDeep.Data;
using MlNetDeep.Training;

namespace MlNetDeep.Internal;

/// <summary>
/// ML.NET's <c>TrainerEstimatorBase</c> with its internal members implemented once for MlNetDeep trainers:
/// the input schema checks and output columns of <see cref="Task"/>, and training that reads the data with
/// <see cref="TrainingDataReader"/> and hands dense buffers to <see cref="Train"/>. A trainer implements
/// <see cref="Train"/> and <see cref="CreateTransformer"/> (with <see cref="PredictionTransformers"/>); see
/// tests/MlNetDeep.Tests.Fixtures/WeightedMeanRegressionTrainer.cs. Subclasses must be compiled against the publicized
/// ML.NET references (eng/Publicizer/MlNetInternals.targets), as this assembly is: against the real ML.NET the members
/// overridden here are <c>private protected</c>, so the C# compiler does not see them as implemented.
/// </summary>
/// <typeparam name="TTransformer">ML.NET's prediction transformer for the task.</typeparam>
/// <typeparam name="TModel">The model parameters the trainer produces.</typeparam>
internal abstract class TabularTrainerBase<TTransformer, TModel> : TrainerEstimatorBase<TTransformer, TModel>
    where TTransformer : ISingleFeaturePredictionTransformer<TModel>
    where TModel : class
{
    /// <summary>Creates the trainer for the given columns.</summary>
    protected TabularTrainerBase(IHostEnvironment environment, string name, TaskKind task, string featureColumnName, string labelColumnName, string? exampleWeightColumnName)
        : base(
            CheckEnvironment(environment).Register(name),
            TrainerUtils.MakeR4VecFeature(featureColumnName),
            LabelShape(task, labelColumnName),
            TrainerUtils.MakeR4ScalarWeightColumn(exampleWeightColumnName))
    {
        Task = task;
    }

    /// <summary>What the trainer predicts.</summary>
    public TaskKind Task { get; }

    /// <inheritdoc/>
    public override TrainerInfo Info { get; } = new(normalization: false, caching: false);

    /// <inheritdoc/>
    public override PredictionKind PredictionKind => Task.ToPredictionKind();

    /// <summary>The columns the fitted transformer will output for <paramref name="inputSchema"/>; checks the input columns' types first.</summary>
    public SchemaShape GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return GetOutputSchema(SchemaShape.Create(inputSchema));
    }

    /// <summary>Trains a model on <paramref name="training"/> (and <paramref name="validation"/> when ML.NET passes a validation set).</summary>
    protected abstract TModel Train(LoadedTrainingData training, LoadedTrainingData? validation);

    /// <summary>Wraps the trained model in ML.NET's prediction transformer for <see cref="Task"/>.</summary>
    protected abstract TTransformer CreateTransformer(TModel model, DataViewSchema trainSchema);

    /// <inheritdoc/>
    public override TModel TrainModelCore(TrainContext trainContext)
    {
        ArgumentNullException.ThrowIfNull(trainContext);
        var weightColumnName = WeightColumn.IsValid ? WeightColumn.Name : null;
        var training = TrainingDataReader.Read(trainContext.TrainingSet.Data, FeatureColumn.Name, LabelColumn.Name, Task, weightColumnName);
        var validation = trainContext.ValidationSet is { } validationSet
            ? TrainingDataReader.Read(validationSet.Data, FeatureColumn.Name, LabelColumn.Name, Task, weightColumnName)
            : null;
        if (training.SkippedRowCount > 0)
        {
            using var channel = Host.Start("Reading training data");
            channel.Warning($"Skipped {training.SkippedRowCount} rows with a missing label in column '{LabelColumn.Name}'.");
        }

        return Train(training, validation);
    }

    /// <inheritdoc/>
    public override TTransformer MakeTransformer(TModel model, DataViewSchema trainSchema) => CreateTransformer(model, trainSchema);

    /// <inheritdoc/>
    public override SchemaShape.Column[] GetOutputColumnsCore(SchemaShape inputSchema)
    {
        var trainerOutput = new SchemaShape(AnnotationUtils.GetTrainerOutputAnnotation());
        var score = new SchemaShape.Column(DefaultColumnNames.Score, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false, trainerOutput);
        switch (Task)
        {
            case TaskKind.Regression:
                return [score];
            case TaskKind.Binary:
                return [score, new SchemaShape.Column(DefaultColumnNames.PredictedLabel, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false, trainerOutput)];
            default:
                if (!inputSchema.TryFindColumn(LabelColumn.Name, out var label))
                {
                    throw new ArgumentException($"The label column '{LabelColumn.Name}' is not in the data.", nameof(inputSchema));
                }

                var predictedLabelAnnotations = new SchemaShape(label.Annotations.Where(a => a.Name == AnnotationUtils.Kinds.KeyValues).Concat(AnnotationUtils.GetTrainerOutputAnnotation()));
                return
                [
                    new SchemaShape.Column(DefaultColumnNames.Score, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, new SchemaShape(AnnotationUtils.AnnotationsForMulticlassScoreColumn(label))),
                    new SchemaShape.Column(DefaultColumnNames.PredictedLabel, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true, predictedLabelAnnotations),
                ];
        }
    }

    /// <summary>
    /// Accepts what <see cref="TrainingDataReader"/> accepts: a scalar Single, Double or Int32 label for regression,
    /// a Boolean for binary classification and a key of any size for multiclass classification.
    /// </summary>
    public override void CheckLabelCompatible(SchemaShape.Column labelCol)
    {
        var ok = labelCol.Kind == SchemaShape.Column.VectorKind.Scalar && Task switch
        {
            TaskKind.Regression => !labelCol.IsKey && (labelCol.ItemType == NumberDataViewType.Single || labelCol.ItemType == NumberDataViewType.Double || labelCol.ItemType == NumberDataViewType.Int32),
            TaskKind.Binary => labelCol.ItemType == BooleanDataViewType.Instance,
            _ => labelCol.IsKey,
        };
        if (!ok)
        {
            var expected = Task switch
            {
                TaskKind.Regression => "a Single (or Double, Int32)",
                TaskKind.Binary => "a Boolean",
                _ => "a key (use mlContext.Transforms.Conversion.MapValueToKey)",
            };
            throw new ArgumentException($"The label column '{labelCol.Name}' must be {expected} for {Task.ToPredictionKind()}; found {(labelCol.Kind == SchemaShape.Column.VectorKind.Scalar ? "" : "a vector of ")}{labelCol.ItemType}{(labelCol.IsKey ? " key" : "")}.", nameof(labelCol));
        }
    }

    private static IHostEnvironment CheckEnvironment(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment;
    }

    private static SchemaShape.Column LabelShape(TaskKind task, string labelColumnName) => task switch
    {
        TaskKind.Regression => TrainerUtils.MakeR4ScalarColumn(labelColumnName),
        TaskKind.Binary => TrainerUtils.MakeBoolScalarLabel(labelColumnName),
        TaskKind.Multiclass => TrainerUtils.MakeU4ScalarColumn(labelColumnName),
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown model task."),
    };
}
