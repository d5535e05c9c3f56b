using Microsoft.ML;

namespace MlNetDeep.Cli.Data;

/// <summary>A model saved by <c>mlnetdeep train</c>, loaded back with its input schema.</summary>
internal sealed class ModelFile
{
    private ModelFile(string path, ITransformer model, DataViewSchema inputSchema)
    {
        Path = path;
        Model = model;
        InputSchema = inputSchema;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The whole pipeline: label conversion, featurization, network, and class names for multiclass.</summary>
    public ITransformer Model { get; }

    /// <summary>The columns the model reads; the first is the label.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>The label column (the first input column).</summary>
    public string Label => InputSchema[0].Name;

    /// <summary>Loads a model.</summary>
    /// <exception cref="CliException">The file does not exist or is not an ML.NET model.</exception>
    public static ModelFile Load(MLContext mlContext, string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"The model file '{path}' does not exist (full path: {System.IO.Path.GetFullPath(path)}).");
        }

        try
        {
            var model = mlContext.Model.Load(path, out var inputSchema);
            if (inputSchema is null || inputSchema.Count == 0)
            {
                throw new CliException($"The model '{path}' has no input schema: save it with mlnetdeep train.");
            }

            return new ModelFile(path, model, inputSchema);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or IOException)
        {
            throw new CliException($"'{path}' is not a model saved by mlnetdeep train or ML.NET: {e.Message}");
        }
    }
}
