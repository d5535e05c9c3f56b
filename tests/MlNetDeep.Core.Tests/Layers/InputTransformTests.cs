using MlNetDeep.Compute;
using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Layers;

public class InputTransformTests
{
    private static SequentialNetwork Network(int features, InputTransform transform, NumericEmbedding embedding = NumericEmbedding.None, int bins = 4)
        => SequentialNetwork.Create(
            new NetworkSpec
            {
                InputSize = features,
                Task = TaskKind.Regression,
                HiddenLayers = [],
                InputTransform = transform,
                NumericEmbedding = embedding,
                EmbeddingBins = bins,
                EmbeddingDimension = 2,
            },
            1);

    private static void Fit(SequentialNetwork network, float[][] columns)
    {
        var rows = columns[0].Length;
        var sample = new InputSample(columns.Length, rows, 1);
        var row = new float[columns.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                row[c] = columns[c][r];
            }

            sample.Add(row);
        }

        sample.Fit(network);
    }

    [Fact]
    public void RobustSmoothClipMatchesReference()
    {
        var reference = ReferenceData.Load("input_robust_smooth_clip");
        foreach (var feature in reference.Root.GetProperty("features").EnumerateArray())
        {
            var x = ReferenceData.ToFloats(feature.GetProperty("x"));
            var network = Network(1, InputTransform.RobustSmoothClip);
            Fit(network, [x]);
            AssertClose.Scalar(feature.GetProperty("median").GetDouble(), network.InputMean[0], what: "median");
            AssertClose.Scalar(feature.GetProperty("scale").GetDouble(), 1 / network.InputScale[0], what: "scale");

            var clip = new SmoothClip(1);
            var z = x.Select(v => (v - network.InputMean[0]) * network.InputScale[0]).ToArray();
            var output = new float[x.Length];
            clip.Forward(z, output, x.Length, new LayerContext(new RandomGenerator(1)));
            AssertClose.All(ReferenceData.ToFloats(feature.GetProperty("out")), output, what: "out");
        }
    }

    [Fact]
    public void SmoothClipGradientMatchesFiniteDifferences()
    {
        var harness = new LayerHarness(new SmoothClip(5), 4);
        harness.CheckGradients(4, seed: 2);
    }

    [Fact]
    public void SmoothClipBoundsEveryValue()
    {
        Assert.Equal(0f, SmoothClip.Clip(0f));
        Assert.InRange(SmoothClip.Clip(1e6f), 2.999f, 3f);
        Assert.InRange(SmoothClip.Clip(-1e6f), -3f, -2.999f);
        Assert.InRange(SmoothClip.Clip(0.01f), 0.0099f, 0.01f);
    }

    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.1, -1.2815515655446004)]
    [InlineData(0.3, -0.5244005127080407)]
    [InlineData(1e-3, -3.090232306167813)]
    [InlineData(1e-7, -5.199337582192817)]
    [InlineData(1 - 1e-7, 5.199337582290661)]
    [InlineData(1e-20, -9.262340089798408)]
    public void NormalQuantileMatchesKnownValues(double p, double expected)
        => Assert.Equal(expected, QuantileTransform.NormalQuantile(p), 1e-9);

    [Fact]
    public void QuantileMapsToTheNormalThroughTheTrainingQuantiles()
    {
        var values = Enumerable.Range(0, 2001).Select(i => (float)Math.Exp(i / 400.0)).ToArray();
        var network = Network(1, InputTransform.Quantile);
        Fit(network, [values]);
        Assert.Equal(0f, network.InputMean[0]);
        Assert.Equal(1f, network.InputScale[0]);
        var quantiles = network.Layers.OfType<QuantileTransform>().Single().Quantiles;

        // The median maps to 0, the 97.5% point to 1.96, and beyond the range to the clipped bound.
        Assert.Equal(0, QuantileTransform.Map(values[1000], quantiles), 1e-3);
        Assert.Equal(1.959963984540054, QuantileTransform.Map(values[1950], quantiles), 2e-3);
        Assert.Equal(-5.199337582192817, QuantileTransform.Map(0f, quantiles), 1e-6);
        Assert.Equal(5.199337582192817, QuantileTransform.Map(1e9f, quantiles), 1e-6);
        Assert.True(double.IsNaN(QuantileTransform.Map(float.NaN, quantiles)));
    }

    [Fact]
    public void QuantileMapsARepeatedValueToTheMiddleOfItsRun()
    {
        // A third each of 0, 1 and 2: the smallest and largest values map to the bounds (as scikit-learn does), and 1,
        // repeated in the middle, to the middle of its run of quantiles.
        var values = Enumerable.Range(0, 99).Select(i => (float)(i / 33)).ToArray();
        var network = Network(1, InputTransform.Quantile);
        Fit(network, [values]);
        var quantiles = network.Layers.OfType<QuantileTransform>().Single().Quantiles;
        Assert.Equal(-5.199337582192817, QuantileTransform.Map(0f, quantiles), 1e-6);
        Assert.Equal(5.199337582192817, QuantileTransform.Map(2f, quantiles), 1e-6);
        Assert.Equal(0, QuantileTransform.Map(1f, quantiles), 1e-9);
        Assert.True(QuantileTransform.Map(0.5f, quantiles) is > -1.5 and < -0.1);
    }

    [Fact]
    public void PiecewiseLinearEdgesAreQuantilesOfTheTransformedValuesWithRepeatsMerged()
    {
        var continuous = Enumerable.Range(0, 101).Select(i => (float)i).ToArray();
        var binary = Enumerable.Range(0, 101).Select(i => i % 2 == 0 ? 0f : 1f).ToArray();
        var constant = Enumerable.Repeat(5f, 101).ToArray();
        var network = Network(3, InputTransform.Standardize, NumericEmbedding.PiecewiseLinear, bins: 4);
        network.InputMean[0] = 50f;
        network.InputScale[0] = 0.1f;
        Fit(network, [continuous, binary, constant]);
        var embedding = network.Layers.OfType<NumericEmbeddingLayer>().Single();

        AssertClose.All([-5f, -2.5f, 0f, 2.5f, 5f], embedding.Edges[..5], what: "continuous edges");
        Assert.Equal(4f, embedding.BinCounts[0]);
        AssertClose.All([0f, 1f, 1f, 1f, 1f], embedding.Edges.Slice(5, 5), what: "binary edges");
        Assert.Equal(1f, embedding.BinCounts[1]);
        Assert.Equal(1f, embedding.BinCounts[2]);
    }

    [Fact]
    public void ASampleBeyondItsCapacityIsUniformAndSeeded()
    {
        static float[] Draw(long seed)
        {
            const int rows = InputSample.MaxRows * 3;
            var sample = new InputSample(1, rows, seed);
            for (var r = 0; r < rows; r++)
            {
                sample.Add([r]);
            }

            Assert.Equal(InputSample.MaxRows, sample.Count);
            var network = Network(1, InputTransform.RobustSmoothClip);
            sample.Fit(network);
            return [network.InputMean[0], 1 / network.InputScale[0]];
        }

        var first = Draw(4);
        Assert.Equal(first, Draw(4));
        Assert.NotEqual(first, Draw(5));

        // The median and interquartile range of 0..299,999 are about 150,000 and 150,000.
        Assert.InRange(first[0], 148_000f, 152_000f);
        Assert.InRange(first[1], 147_000f, 153_000f);
    }

    [Fact]
    public void QuantileMatchesScikitLearn()
    {
        var reference = ReferenceData.Load("input_quantile_transform");
        int rows = reference.Int("rows"), features = reference.Int("features");
        var x = reference.Floats("x");
        var columns = Enumerable.Range(0, features).Select(c => Enumerable.Range(0, rows).Select(r => x[(r * features) + c]).ToArray()).ToArray();
        var network = Network(features, InputTransform.Quantile);
        Fit(network, columns);
        var layer = network.Layers.OfType<QuantileTransform>().Single();
        var probe = reference.Floats("probe");
        var output = new float[probe.Length];
        layer.Forward(probe, output, probe.Length / features, new LayerContext(new RandomGenerator(1)));

        AssertClose.All(reference.Floats("out"), output, rtol: 1e-3, atol: 1e-3, what: "out");
    }

    [Fact]
    public void MaxAbsDividesByTheLargestAbsoluteTrainingValueAndSubtractsNothing()
    {
        // Feature 0 spans [−8, 2], feature 1 is 0 in every row, feature 2 is a constant 5.
        float[] features = [-8, 0, 5, 2, 0, 5, 1, 0, 5, -3, 0, 5];
        var spec = new NetworkSpec { InputSize = 3, Task = TaskKind.Regression, HiddenLayers = [], InputTransform = InputTransform.MaxAbs };
        var settings = new TrainingSettings { NumberOfEpochs = 1, ValidationFraction = 0, Seed = 1 };

        var network = NetworkTrainer.Train(spec, new TrainingData(features, 4, 3, [1f, 2f, 3f, 4f]), settings).Network;

        var state = network.GetStateDictionary();
        Assert.Equal([0f, 0f, 0f], state["input.mean"]);
        Assert.Equal([1f / 8, 1f, 1f / 5], state["input.scale"]);
        Assert.DoesNotContain(network.Layers, l => l is SmoothClip or QuantileTransform);
    }
}
