using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetDeep.Tests.Internal;

public class ModelFilesTests
{
    [Fact]
    public void TruncatedModelFileGivesAClearError()
    {
        using var folder = new TemporaryDirectory();
        var mlContext = new MLContext(seed: 1);
        var chain = PersistenceScenario.BuildRegression(mlContext, out var data);
        var path = folder.File("model.zip");
        ModelFiles.SaveAtomically(mlContext, chain, data.Schema, path);
        var bytes = File.ReadAllBytes(path);
        var truncated = folder.File("truncated.zip");
        File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => ModelFiles.Load(mlContext, truncated, out _));

        Assert.Contains(truncated, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a readable ML.NET model file", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void GarbageModelFileGivesAClearError()
    {
        using var folder = new TemporaryDirectory();
        var garbage = folder.File("garbage.zip");
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(garbage, bytes);

        var error = Assert.Throws<InvalidDataException>(() => ModelFiles.Load(new MLContext(seed: 1), garbage, out _));

        Assert.Contains(garbage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingModelFileIsNotFound()
    {
        using var folder = new TemporaryDirectory();
        var missing = folder.File("missing.zip");
        var error = Assert.Throws<FileNotFoundException>(() => ModelFiles.Load(new MLContext(seed: 1), missing, out _));
        Assert.Equal(missing, error.FileName);
    }

    [Fact]
    public void FailedSaveLeavesNoFileAndKeepsThePreviousOne()
    {
        using var folder = new TemporaryDirectory();
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(PersistenceScenario.Rows());
        var fresh = folder.File("fresh.zip");
        Assert.Throws<InvalidOperationException>(() => ModelFiles.SaveAtomically(mlContext, new UnsavableTransformer(), data.Schema, fresh));
        Assert.False(File.Exists(fresh));

        var existing = folder.File("existing.zip");
        File.WriteAllBytes(existing, [1, 2, 3]);
        Assert.Throws<InvalidOperationException>(() => ModelFiles.SaveAtomically(mlContext, new UnsavableTransformer(), data.Schema, existing));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(existing));
        Assert.Equal([existing], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void WriteAtomicallyReplacesTheFileOnlyWhenTheWriteCompletes()
    {
        using var folder = new TemporaryDirectory();
        var path = folder.File("data.bin");
        ModelFiles.WriteAtomically(path, stream => stream.Write([4, 5]));
        Assert.Equal([4, 5], File.ReadAllBytes(path));

        Assert.Throws<IOException>(() => ModelFiles.WriteAtomically(path, stream =>
        {
            stream.Write([9, 9, 9]);
            throw new IOException("disk full");
        }));

        Assert.Equal([4, 5], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    /// <summary>A pass-through transformer whose Save throws after the archive has been started.</summary>
    private sealed class UnsavableTransformer : ITransformer
    {
        public bool IsRowToRowMapper => false;

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

        public IDataView Transform(IDataView input) => input;

        void ICanSaveModel.Save(ModelSaveContext ctx) => throw new InvalidOperationException("cannot save");
    }
}
