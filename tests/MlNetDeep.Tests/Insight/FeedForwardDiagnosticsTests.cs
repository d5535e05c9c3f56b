using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetDeep.Tests.FeedForward;
using MlNetDeep.Tests.Internal;

namespace MlNetDeep.Tests.Insight;

public class FeedForwardDiagnosticsTests
{
    [Fact]
    public void DiagnosticsAreOffByDefaultAndAbsentFromTheModel()
    {
        Assert.False(new FeedForwardMulticlassTrainer.Options().Diagnostics);
        Assert.False(FeedForwardTrainerOptionsBase.Defaults.Diagnostics);
        var (model, _, _) = TrainRegression(diagnostics: false);
        Assert.Null(model.Model.Diagnostics);
    }

    [Fact]
    public void DiagnosticsHoldOneRecordPerEpochAndHiddenLayerWithRealValues()
    {
        var (model, _, _) = TrainRegression(diagnostics: true);
        var diagnostics = Assert.IsType<FeedForwardDiagnostics>(model.Model.Diagnostics);

        // Epoch 0 (the initial state) then 3 epochs, each for the 2 hidden layers.
        Assert.Equal(4 * 2, diagnostics.Records.Count);
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3], diagnostics.Records.Select(r => r.Epoch));
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1], diagnostics.Records.Select(r => r.Layer));
        foreach (var r in diagnostics.Records)
        {
            Assert.Equal(r.Layer == 0 ? 16 : 8, r.Units);
            Assert.Equal(Activation.ReLU, r.Activation);
            Assert.Equal(Normalization.BatchNorm, r.Normalization);
            Assert.True(r.Rows > 0, r.ToString());
            Assert.True(r.ActivationStd > 0 && double.IsFinite(r.ActivationStd), r.ToString());
            Assert.True(r.GradientNorm > 0 && double.IsFinite(r.GradientNorm), r.ToString());
            Assert.InRange(r.DeadFraction!.Value, 0, 1);
            Assert.Null(r.SaturatedFraction);
            Assert.NotNull(r.RunningVarianceAverage);
            Assert.Equal(r.Epoch == 0, r.UpdateRatio is null);

            // Batch norm standardizes the pre-activations over each batch (γ = 1, β = 0 at the start).
            if (r.Epoch == 0)
            {
                Assert.InRange(r.PreActivationMean, -1e-4, 1e-4);
                Assert.InRange(r.PreActivationStd, 0.99, 1.0);
            }
        }

        // The weight norm in the model matches the stored last-epoch weight norm of layer 0.
        var weight = model.Model.GetParameters()["layers.0.weight"];
        var norm = Math.Sqrt(weight.Sum(w => (double)w * w));
        Assert.Equal(norm, diagnostics.Records.Single(r => r.Epoch == 3 && r.Layer == 0).WeightNorm, 4);
    }

    [Fact]
    public void CsvAndJsonExportsParseBackToTheRecords()
    {
        var (model, _, _) = TrainRegression(diagnostics: true);
        var diagnostics = model.Model.Diagnostics!;

        var lines = diagnostics.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split(',');
        Assert.Equal(17, header.Length);
        Assert.Equal("epoch", header[0]);
        Assert.Equal(diagnostics.Records.Count + 1, lines.Length);
        for (var i = 0; i < diagnostics.Records.Count; i++)
        {
            var fields = lines[i + 1].Split(',');
            var r = diagnostics.Records[i];
            Assert.Equal(17, fields.Length);
            Assert.Equal(r.Epoch, int.Parse(fields[0], CultureInfo.InvariantCulture));
            Assert.Equal(r.Layer, int.Parse(fields[Array.IndexOf(header, "block")], CultureInfo.InvariantCulture));
            Assert.Equal(r.ActivationStd, double.Parse(fields[Array.IndexOf(header, "activation_std")], CultureInfo.InvariantCulture));
            Assert.Equal(r.GradientNorm, double.Parse(fields[Array.IndexOf(header, "gradient_norm")], CultureInfo.InvariantCulture));
            Assert.Equal(r.UpdateRatio is null, fields[Array.IndexOf(header, "update_ratio")].Length == 0);
        }

        using var json = JsonDocument.Parse(diagnostics.ToJson());
        var array = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(diagnostics.Records.Count, array.Length);
        for (var i = 0; i < array.Length; i++)
        {
            var r = diagnostics.Records[i];
            Assert.Equal(r.Epoch, array[i].GetProperty("Epoch").GetInt32());
            Assert.Equal(r.Layer, array[i].GetProperty("Block").GetInt32());
            Assert.Equal("ReLU", array[i].GetProperty("Activation").GetString());
            Assert.Equal(r.WeightNorm, array[i].GetProperty("WeightNorm").GetDouble());
            Assert.Equal(r.SaturatedFraction is null, array[i].GetProperty("SaturatedFraction").ValueKind == JsonValueKind.Null);
        }
    }

    [Fact]
    public void SaveAndLoadKeepTheDiagnostics()
    {
        var (model, mlContext, data) = TrainRegression(diagnostics: true);
        var (plain, _, _) = TrainRegression(diagnostics: false);
        using var folder = new TemporaryDirectory();
        mlContext.Model.Save(model, data.Schema, folder.File("with.zip"));
        mlContext.Model.Save(plain, data.Schema, folder.File("without.zip"));

        var loaded = Assert.IsType<RegressionPredictionTransformer<FeedForwardModelParameters>>(mlContext.Model.Load(folder.File("with.zip"), out _));
        Assert.Equal(model.Model.Diagnostics!.ToCsv(), loaded.Model.Diagnostics!.ToCsv());
        Assert.Equal(model.Model.Diagnostics!.ToJson(), loaded.Model.Diagnostics!.ToJson());

        var loadedPlain = Assert.IsType<RegressionPredictionTransformer<FeedForwardModelParameters>>(mlContext.Model.Load(folder.File("without.zip"), out _));
        Assert.Null(loadedPlain.Model.Diagnostics);
    }

    [Theory]
    [InlineData(0x00010001u)]
    [InlineData(0x00010002u)]
    public void ModelsWrittenInPreviousFormatVersionsStillLoad(uint version)
    {
        var (model, mlContext, data) = TrainRegression(diagnostics: false);
        using var folder = new TemporaryDirectory();
        var path = folder.File("previous.zip");
        mlContext.Model.Save(model, data.Schema, path);

        // Rewrite the saved model as that version wrote it: the version in ML.NET's model header (the ModelVerWritten
        // field at byte 72, after the 8-byte model signature at 64, then ModelVerReadable, which both wrote as 0x00010001),
        // and the network stream without the trailing checksum
        // that 0x00010003 added and, for 0x00010001, without the diagnostics count (-1: none) and Monte Carlo dropout
        // passes (0) that 0x00010002 added before it.
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var header = zip.Entries.Single(e => ReadAll(e) is { Length: > 80 } bytes && Encoding.ASCII.GetString(bytes, 64, 8) == "MLNDFFNN");
            var headerBytes = ReadAll(header);
            Assert.Equal(0x00010003u, BitConverter.ToUInt32(headerBytes, 72));
            BitConverter.GetBytes(version).CopyTo(headerBytes, 72);
            BitConverter.GetBytes(0x00010001u).CopyTo(headerBytes, 76);
            Replace(zip, header.FullName, headerBytes);

            var stream = zip.Entries.Single(e => e.Name == "FeedForwardNetwork.bin");
            var streamBytes = ReadAll(stream);
            Assert.Equal(-1, BitConverter.ToInt32(streamBytes, streamBytes.Length - 16));
            Assert.Equal(0, BitConverter.ToInt32(streamBytes, streamBytes.Length - 12));
            Replace(zip, stream.FullName, streamBytes[..^(version == 0x00010001u ? 16 : 8)]);
        }

        var loaded = Assert.IsType<RegressionPredictionTransformer<FeedForwardModelParameters>>(mlContext.Model.Load(path, out _));
        Assert.Null(loaded.Model.Diagnostics);
        Assert.Equal(0, loaded.Model.MonteCarloDropoutPasses);
        var rows = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows());
        Assert.Equal(model.Transform(rows).GetColumn<float>("Score"), loaded.Transform(rows).GetColumn<float>("Score"));

        static byte[] ReadAll(ZipArchiveEntry entry)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        static void Replace(ZipArchive zip, string name, byte[] bytes)
        {
            zip.GetEntry(name)!.Delete();
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(bytes);
        }
    }

    [Fact]
    public void TrainingWithDiagnosticsGivesTheSameWeights()
    {
        var (with, _, _) = TrainRegression(diagnostics: true);
        var (without, _, _) = TrainRegression(diagnostics: false);
        Assert.Equal(without.Model.GetParameters()["layers.1.weight"], with.Model.GetParameters()["layers.1.weight"]);
    }

    [Fact]
    public void DeepSigmoidStackWithSmallRandomNormalWeightsLogsVanishingGradientWarnings()
    {
        var mlContext = new MLContext(seed: 1);
        var warnings = new ConcurrentQueue<string>();
        var infos = new ConcurrentQueue<string>();
        mlContext.Log += (_, e) =>
        {
            if (e.Kind == ChannelMessageKind.Warning)
            {
                warnings.Enqueue(e.RawMessage);
            }
            else if (e.Kind == ChannelMessageKind.Info)
            {
                infos.Enqueue(e.RawMessage);
            }
        };
        var options = FeedForwardScenario.Small(new FeedForwardBinaryTrainer.Options(), nameof(FeedForwardScenario.Row.IsPositive));
        options.HiddenLayers = [8, 8, 8, 8, 8, 8, 8, 8];
        options.Activation = Activation.Sigmoid;
        options.Normalization = Normalization.None;
        options.DropoutRate = 0;
        options.WeightInitializer = WeightInitializer.RandomNormal;
        options.WeightInitializerValue = 0.05f;
        options.NumberOfEpochs = 2;
        options.Diagnostics = true;
        var model = mlContext.BinaryClassification.Trainers.FeedForward(options).Fit(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(64, seed: 1))).Model;

        var diagnostics = model.Diagnostics!;
        Assert.NotEmpty(diagnostics.GradientWarnings);
        var first = diagnostics.Records.Single(r => r.Epoch == 0 && r.Layer == 0).GradientNorm;
        var last = diagnostics.Records.Single(r => r.Epoch == 0 && r.Layer == 7).GradientNorm;
        Assert.True(first < 1e-3 * last, $"layer 0 gradient norm {first}, layer 7 {last}");

        // One warning line per vanishing layer, naming it; the first layers vanish, the last does not.
        var vanishing = warnings.Where(w => w.Contains("vanishing gradients", StringComparison.Ordinal)).ToArray();
        Assert.Contains(vanishing, w => w.StartsWith("Hidden layer 0:", StringComparison.Ordinal));
        Assert.DoesNotContain(vanishing, w => w.StartsWith("Hidden layer 7:", StringComparison.Ordinal));
        Assert.Equal(vanishing.Length, vanishing.Distinct().Count());
        Assert.Contains(infos, i => i.StartsWith("Per-layer diagnostics", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutDiagnosticsNoDiagnosticsAreLogged()
    {
        var mlContext = new MLContext(seed: 1);
        var messages = new ConcurrentQueue<string>();
        mlContext.Log += (_, e) => messages.Enqueue(e.RawMessage);
        var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options(), nameof(FeedForwardScenario.Row.Target));
        options.NumberOfEpochs = 2;
        mlContext.Regression.Trainers.FeedForward(options).Fit(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(64, seed: 1)));
        Assert.Contains(messages, m => m.Contains("Epoch 2", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains("Per-layer diagnostics", StringComparison.Ordinal));
    }

    private static (RegressionPredictionTransformer<FeedForwardModelParameters> Model, MLContext Context, IDataView Data) TrainRegression(bool diagnostics)
    {
        var mlContext = new MLContext(seed: 1);
        var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(96, seed: 3));
        var options = FeedForwardScenario.Small(new FeedForwardRegressionTrainer.Options { DropoutRate = 0 }, nameof(FeedForwardScenario.Row.Target));
        options.HiddenLayers = [16, 8];
        options.NumberOfEpochs = 3;
        options.Diagnostics = diagnostics;
        options.EnsembleSize = 1;
        return (mlContext.Regression.Trainers.FeedForward(options).Fit(data), mlContext, data);
    }
}
