using System.Buffers.Binary;
using System.Reflection;
using Microsoft.ML;
using MlNetDeep.Tests.Internal;
using Xunit.Abstractions;

namespace MlNetDeep.Tests.FeedForward;

/// <summary>
/// A saved model whose network stream was damaged or tampered with is refused with a clear error, never served: seeded
/// mutations of the stream of a real model (bit flips, random bytes, int32 fields overwritten with extremes, truncation),
/// each loaded and scored under a time limit; and alterations made with every checksum recomputed, which the range checks
/// refuse on their own.
/// </summary>
public class FeedForwardCorruptedModelTests(ITestOutputHelper output)
{
    private const int Mutations = 1_000;

    private static readonly TimeSpan LoadLimit = TimeSpan.FromSeconds(5);

    private static readonly int[] Extremes = [int.MinValue, int.MaxValue, -1, 0, 1, short.MaxValue, 1 << 30];

    private static readonly Lazy<SavedModel> Model = new(SavedModel.Train);

    [Fact]
    public void MutatedNetworkStreamsAreAllRefused()
    {
        var model = Model.Value;
        var outcomes = Fuzz(model, seed: 20261206, reseal: false);

        Report(outcomes);
        Assert.True(outcomes.Sum(o => o.Value) - outcomes.GetValueOrDefault(Outcome.Unchanged) >= Mutations, "fewer mutations than planned changed the stream");
        Assert.Equal(0, outcomes.GetValueOrDefault(Outcome.Crashed));
        Assert.Equal(0, outcomes.GetValueOrDefault(Outcome.Hung));
        Assert.Equal(0, outcomes.GetValueOrDefault(Outcome.ChangedPredictions));
        Assert.Equal(0, outcomes.GetValueOrDefault(Outcome.NonFinitePredictions));
        Assert.Equal(0, outcomes.GetValueOrDefault(Outcome.SamePredictions));
        Assert.Equal(0, outcomes.GetValueOrDefault(Outcome.RefusedByRangeCheck));
    }

    [Fact]
    public void MutatedStreamsWithRecomputedChecksumsNeverCrashOrHang()
    {
        // A tamperer recomputes the checksums (where the mutation left the network's header readable), so the range checks
        // alone stand between the stream and the scorer. Values changed within their ranges make a different model that
        // loads and predicts differently (a weight pushed near float's largest value can even overflow to infinity or
        // NaN on ordinary rows): no check can tell such a model from a trained one, only a signature could. What the
        // checks guarantee is that nothing else happens: no other exception, no hang.
        var outcomes = Fuzz(Model.Value, seed: 7, reseal: true, mutations: 300);

        Report(outcomes);
        Assert.Equal(0, outcomes.GetValueOrDefault(Outcome.Crashed));
        Assert.Equal(0, outcomes.GetValueOrDefault(Outcome.Hung));
        Assert.True(outcomes.GetValueOrDefault(Outcome.RefusedByRangeCheck) > 100, "the range checks refused few of the mutations");
    }

    [Fact]
    public void UnsafeValuesWithRecomputedChecksumsAreRefused()
    {
        var model = Model.Value;
        var (parameters, buffers) = NetworkEntry.ValueOffsets(model.Entry, model.ParameterCount, model.BufferCount);

        AssertRefused("running_var", entry => BinaryPrimitives.WriteSingleLittleEndian(entry.AsSpan(buffers + (4 * model.RunningVarianceOffset)), -0.25f));
        AssertRefused("NaN", entry => BinaryPrimitives.WriteSingleLittleEndian(entry.AsSpan(parameters + (4 * 3)), float.NaN));
        AssertRefused("input.scale", entry => BinaryPrimitives.WriteSingleLittleEndian(entry.AsSpan(buffers + (4 * model.InputScaleOffset)), 0f));

        // The stream's own fields: the Monte Carlo dropout passes (last), the diagnostics record count (before them),
        // the class name count (second), the best epoch and the first history record's epoch.
        AssertRefused("Monte Carlo dropout pass count", entry => BinaryPrimitives.WriteInt32LittleEndian(entry.AsSpan(entry.Length - 8 - 4), int.MaxValue));
        AssertRefused("class name count", entry => BinaryPrimitives.WriteInt32LittleEndian(entry.AsSpan(4), int.MaxValue));
        AssertRefused("best epoch", entry => BinaryPrimitives.WriteInt32LittleEndian(entry.AsSpan(model.BestEpochOffset), model.Epochs + 1));
        AssertRefused("training history record 0", entry => BinaryPrimitives.WriteInt32LittleEndian(entry.AsSpan(model.BestEpochOffset + 8), 5));
        AssertRefused("validation flag", entry => entry[model.BestEpochOffset + 8 + 4 + 8] = 2);

        void AssertRefused(string expected, Action<byte[]> alter)
        {
            var entry = (byte[])model.Entry.Clone();
            alter(entry);
            var error = Refusal(Assert.ThrowsAny<Exception>(() => LoadAndScore(NetworkEntry.Replace(model.Zip, NetworkEntry.Reseal(entry)))));
            Assert.NotNull(error);
            Assert.Contains(expected, error.Message);
            Assert.DoesNotContain("checksum", error.Message);
        }
    }

    [Fact]
    public void AChangedByteIsReportedAsAChecksumMismatch()
    {
        var model = Model.Value;
        var entry = (byte[])model.Entry.Clone();
        entry[entry.Length / 2] ^= 0x10;

        var error = Refusal(Assert.ThrowsAny<Exception>(() => LoadAndScore(NetworkEntry.Replace(model.Zip, entry))));
        Assert.NotNull(error);
        Assert.Contains("The feed-forward model file is corrupted: the checksum of its stream 'FeedForwardNetwork.bin' does not match its contents", error.Message);
    }

    private Dictionary<Outcome, int> Fuzz(SavedModel model, int seed, bool reseal, int mutations = Mutations)
    {
        var random = new Random(seed);
        var outcomes = new Dictionary<Outcome, int>();
        var changed = 0;
        while (changed < mutations)
        {
            var entry = Mutate(model.Entry, random, out var kind);
            if (reseal)
            {
                NetworkEntry.Reseal(entry);
            }

            Outcome outcome;
            if (entry.AsSpan().SequenceEqual(model.Entry))
            {
                outcome = Outcome.Unchanged;
            }
            else
            {
                changed++;
                outcome = Classify(model, NetworkEntry.Replace(model.Zip, entry), out var detail);
                if (outcome is Outcome.Crashed or Outcome.Hung or Outcome.NonFinitePredictions || (outcome is Outcome.ChangedPredictions && !reseal))
                {
                    output.WriteLine($"{outcome} after {kind}: {detail}");
                }
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        return outcomes;
    }

    private static Outcome Classify(SavedModel model, byte[] zip, out string detail)
    {
        var run = Task.Run(() => LoadAndScore(zip));
        try
        {
            if (!run.Wait(LoadLimit))
            {
                detail = $"still loading or scoring after {LoadLimit.TotalSeconds} s";
                return Outcome.Hung;
            }
        }
        catch (AggregateException e) when (e.InnerException is { } error)
        {
            detail = Describe(error);
            return Refusal(error) switch
            {
                { } refusal when refusal.Message.Contains("checksum", StringComparison.Ordinal) => Outcome.RefusedByChecksum,
                not null => Outcome.RefusedByRangeCheck,
                null => Outcome.Crashed,
            };
        }

        detail = "loaded";
        var scores = run.Result;
        return scores.AsSpan().SequenceEqual(model.Scores) ? Outcome.SamePredictions
            : System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(scores) ? Outcome.ChangedPredictions
            : Outcome.NonFinitePredictions;
    }

    /// <summary>
    /// The loader's refusal inside <paramref name="error"/>: an <see cref="InvalidDataException"/> that says the model file is
    /// corrupted, which ML.NET's component catalog, calling each loader by reflection, wraps in one
    /// <see cref="TargetInvocationException"/> per level of the pipeline it loads (three here: chain, prediction transformer,
    /// model). Null for anything else.
    /// </summary>
    private static InvalidDataException? Refusal(Exception error)
    {
        while (error is TargetInvocationException { InnerException: { } inner })
        {
            error = inner;
        }

        return error is InvalidDataException refusal && refusal.Message.StartsWith("The feed-forward model file is corrupted: ", StringComparison.Ordinal) ? refusal : null;
    }

    private static string Describe(Exception error)
    {
        var chain = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            chain.Add($"{e.GetType().Name}: {e.Message}");
        }

        return string.Join(" <- ", chain);
    }

    /// <summary>One seeded mutation of <paramref name="entry"/>: bit flips, random bytes, an extreme int32, or a truncation.</summary>
    private static byte[] Mutate(byte[] entry, Random random, out string kind)
    {
        var bytes = (byte[])entry.Clone();
        switch (random.Next(4))
        {
            case 0:
                var flips = random.Next(1, 4);
                for (var i = 0; i < flips; i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                kind = $"{flips} bit flips";
                return bytes;
            case 1:
                var at = random.Next(bytes.Length);
                var span = bytes.AsSpan(at, Math.Min(random.Next(1, 9), bytes.Length - at));
                random.NextBytes(span);
                kind = $"{span.Length} random bytes at {at}";
                return bytes;
            case 2:
                var offset = random.Next(bytes.Length - 3);
                var value = Extremes[random.Next(Extremes.Length)];
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value);
                kind = $"int32 {value} at {offset}";
                return bytes;
            default:
                var length = random.Next(bytes.Length);
                kind = $"truncation to {length} bytes";
                return bytes[..length];
        }
    }

    private static float[] LoadAndScore(byte[] zip)
    {
        var mlContext = new MLContext(seed: 1);
        var loaded = mlContext.Model.Load(new MemoryStream(zip), out _);
        return FeedForwardScenario.Scores(loaded.Transform(mlContext.Data.LoadFromEnumerable(FeedForwardScenario.TestRows())));
    }

    private void Report(Dictionary<Outcome, int> outcomes)
    {
        foreach (var (outcome, count) in outcomes.OrderBy(o => o.Key))
        {
            output.WriteLine($"{outcome,-22} {count,5}");
        }
    }

    private enum Outcome
    {
        Unchanged,
        RefusedByChecksum,
        RefusedByRangeCheck,
        SamePredictions,
        ChangedPredictions,
        NonFinitePredictions,
        Crashed,
        Hung,
    }

    /// <summary>A small multiclass model (batch norm, diagnostics, class names), saved, with its stream and its scores.</summary>
    private sealed record SavedModel(byte[] Zip, byte[] Entry, float[] Scores, int ParameterCount, int BufferCount, int InputScaleOffset, int RunningVarianceOffset, int BestEpochOffset, int Epochs)
    {
        public static SavedModel Train()
        {
            var mlContext = new MLContext(seed: 1);
            var options = FeedForwardScenario.Small(new FeedForwardMulticlassTrainer.Options(), "Label");
            options.NumberOfEpochs = 4;
            options.Normalization = Normalization.BatchNorm;
            options.Diagnostics = true;
            var data = mlContext.Data.LoadFromEnumerable(FeedForwardScenario.Rows(120, seed: 1));
            var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label", nameof(FeedForwardScenario.Row.Class))
                .Append(mlContext.MulticlassClassification.Trainers.FeedForward(options))
                .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));
            var trained = pipeline.Fit(data);
            using var stream = new MemoryStream();
            mlContext.Model.Save(trained, data.Schema, stream);
            var zip = stream.ToArray();
            var network = ((IEnumerable<ITransformer>)trained).OfType<Microsoft.ML.Data.MulticlassPredictionTransformer<FeedForwardModelParameters>>().Single().Model.Network;

            // The stream starts with the task, the class names (a count, then each with a one-byte length), the best epoch.
            var entry = NetworkEntry.Read(zip);
            Assert.Equal(FeedForwardScenario.ClassNames.Length, BinaryPrimitives.ReadInt32LittleEndian(entry.AsSpan(4)));
            var bestEpochOffset = 4 + 4 + FeedForwardScenario.ClassNames.Sum(n => 1 + n.Length);
            return new SavedModel(
                zip,
                entry,
                LoadAndScore(zip),
                network.Parameters.Length,
                network.Buffers.Length,
                network.BufferTensors.Single(t => t.Name == "input.scale").View.Offset,
                network.BufferTensors.Single(t => t.Name == "layers.0.running_var").View.Offset,
                bestEpochOffset,
                options.NumberOfEpochs);
        }
    }
}
