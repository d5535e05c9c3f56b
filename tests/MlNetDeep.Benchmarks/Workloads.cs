using MlNetDeep.Layers;
using MlNetDeep.Training;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// The end-to-end workloads: synthetic features from a fixed seed, labels from a random teacher network.
/// T1: 60,000 × 784, 10 classes, 784→512 BatchNorm ReLU Dropout 0.2 → 256 BatchNorm ReLU Dropout 0.2 → 10;
/// T2: T1 without BatchNorm and Dropout; T3: 20,000 × 64, 10 classes, 64→128 ReLU → 64 ReLU → 10, batch 64;
/// T4: letter-shaped data, 16,000 × 16, 26 classes, the trainers' default architecture (hidden layers, activation,
/// normalization, dropout, ensemble, input transform and embedding of <c>FeedForwardTrainerOptionsBase.Defaults</c>), batch 256.
/// All use softmax cross-entropy and Adam 1e-3.
/// </summary>
internal sealed record Workload(string Name, int Rows, int Features, int Classes, HiddenLayerSpec[] Hidden, int BatchSize)
{
    /// <summary>Members of the ensemble (1: a single network).</summary>
    public int EnsembleSize { get; init; } = 1;

    /// <summary>The input transform.</summary>
    public InputTransform InputTransform { get; init; } = InputTransform.Standardize;

    /// <summary>The numeric embedding.</summary>
    public NumericEmbedding NumericEmbedding { get; init; } = NumericEmbedding.None;

    /// <summary>Values per feature of the embedding (the engine's default size, as the trainers').</summary>
    public int EmbeddingDimension => NumericEmbedding == NumericEmbedding.None ? 1 : TrainingDefaults.EmbeddingDimension;

    /// <summary>
    /// GEMM floating-point operations per training sample (forward, input and weight gradients; with an embedding, its
    /// linear maps forward and weight gradient, and the first dense layer's input gradient too).
    /// </summary>
    public long TrainingFlopsPerSample
    {
        get
        {
            long macs = 0, firstLayer = 0;
            var width = Features * EmbeddingDimension;
            foreach (var layer in Hidden.Select(h => h.Units).Append(Classes))
            {
                macs += (long)width * layer;
                if (firstLayer == 0)
                {
                    firstLayer = (long)width * layer;
                }

                width = layer;
            }

            // Forward 2·MACs, weight gradient 2·MACs, input gradient 2·MACs except for the first layer; every member does all.
            // The members share the embedding, whose maps read 2K (periodic) or T (piecewise-linear) values per feature.
            var encoding = NumericEmbedding == NumericEmbedding.PiecewiseLinear ? TrainingDefaults.EmbeddingBins : 2 * TrainingDefaults.EmbeddingFrequencies;
            var embeddingMacs = NumericEmbedding == NumericEmbedding.None ? 0 : (long)Features * EmbeddingDimension * encoding;
            return (((6 * macs) - (NumericEmbedding == NumericEmbedding.None ? 2 * firstLayer : 0)) * EnsembleSize) + (4 * embeddingMacs);
        }
    }

    /// <summary>GEMM floating-point operations per inference row.</summary>
    public long InferenceFlopsPerRow
    {
        get
        {
            long macs = 0;
            var width = Features;
            foreach (var layer in Hidden.Select(h => h.Units).Append(Classes))
            {
                macs += (long)width * layer;
                width = layer;
            }

            return 2 * macs;
        }
    }

    /// <summary>
    /// This workload with the command line's <c>--hidden 512,512</c> (the first hidden layer's settings for every width
    /// given), <c>--ensemble K</c>, <c>--normalization None</c> and <c>--dropout X</c> applied.
    /// </summary>
    public Workload WithOptions(CommandLine options)
    {
        var workload = this;
        if (options.String("hidden", "") is { Length: > 0 } hidden)
        {
            var first = workload.Hidden[0];
            workload = workload with { Hidden = [.. hidden.Split(',').Select(units => first with { Units = int.Parse(units, System.Globalization.CultureInfo.InvariantCulture) })] };
        }

        return workload with
        {
            EnsembleSize = options.Int("ensemble", workload.EnsembleSize),
            Hidden = [.. workload.Hidden.Select(h => h with { Normalization = Enum.Parse<Normalization>(options.String("normalization", h.Normalization.ToString())), DropoutRate = options.Float("dropout", h.DropoutRate) })],
        };
    }

    public static Workload Get(string name) => name.ToUpperInvariant() switch
    {
        "T1" or "I1" or "I2" => new Workload(name.ToUpperInvariant(), 60_000, 784, 10,
            [new(512, Activation.ReLU, Normalization.BatchNorm, 0.2f), new(256, Activation.ReLU, Normalization.BatchNorm, 0.2f)], 128),
        "T2" => new Workload("T2", 60_000, 784, 10,
            [new(512, Activation.ReLU, Normalization.None, 0f), new(256, Activation.ReLU, Normalization.None, 0f)], 128),
        "T3" => new Workload("T3", 20_000, 64, 10,
            [new(128, Activation.ReLU, Normalization.None, 0f), new(64, Activation.ReLU, Normalization.None, 0f)], 64),
        "T4" => Letter(),
        _ => throw new ArgumentException($"Unknown workload '{name}'. Known: T1, T2, T3, T4, I1, I2."),
    };

    /// <summary>
    /// T4: letter-shaped data through the architecture the trainers build with their default options for 16,000 rows in
    /// memory, automatic choices resolved by the trainers' own rules.
    /// </summary>
    private static Workload Letter()
    {
        var spec = new FeedForwardSettings(new FeedForwardMulticlassTrainer.Options()).CreateSpec(16, TaskKind.Multiclass, 26, rowCount: 16_000);
        return new Workload("T4", 16_000, 16, 26, [.. spec.HiddenLayers], 256)
        {
            EnsembleSize = spec.EnsembleSize,
            InputTransform = spec.InputTransform,
            NumericEmbedding = spec.NumericEmbedding,
        };
    }

    public NetworkSpec Spec => new()
    {
        InputSize = Features,
        Task = TaskKind.Multiclass,
        ClassCount = Classes,
        HiddenLayers = Hidden,
        EnsembleSize = EnsembleSize,
        InputTransform = InputTransform,
        NumericEmbedding = NumericEmbedding,
    };

    /// <summary>Standard-normal features and teacher labels (argmax of a random 64-unit tanh network).</summary>
    public TrainingData CreateData(long seed = 12345)
    {
        var random = new Compute.RandomGenerator(seed);
        var features = new float[Rows * Features];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (float)random.NextGaussian();
        }

        var teacher = SequentialNetwork.Create(
            new NetworkSpec
            {
                InputSize = Features,
                Task = TaskKind.Multiclass,
                ClassCount = Classes,
                HiddenLayers = [new(64, Activation.Tanh, Normalization.None, 0f)],
                WeightInitializer = WeightInitializer.XavierNormal,
            },
            seed + 1);
        var scorer = teacher.CreateScorer(1024);
        var probabilities = new float[Rows * Classes];
        scorer.Score(features, probabilities, Rows);
        var labels = new float[Rows];
        for (var r = 0; r < Rows; r++)
        {
            labels[r] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(probabilities.AsSpan(r * Classes, Classes));
        }

        return new TrainingData(features, Rows, Features, labels);
    }
}
