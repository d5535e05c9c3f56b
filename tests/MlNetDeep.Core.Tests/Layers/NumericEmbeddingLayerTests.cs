using MlNetDeep.Compute;
using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.Layers;

public class NumericEmbeddingLayerTests
{
    [Theory]
    [InlineData("embedding_periodic", NumericEmbedding.Periodic)]
    [InlineData("embedding_periodic_lite", NumericEmbedding.PeriodicLite)]
    public void PeriodicMatchesReference(string file, NumericEmbedding kind)
    {
        var reference = ReferenceData.Load(file);
        int batch = reference.Int("batch"), features = reference.Int("features"), frequencies = reference.Int("frequencies"), dimension = reference.Int("dim");
        var harness = new LayerHarness(new NumericEmbeddingLayer(features, kind, dimension, frequencies, 0.1f, 2), batch);
        reference.Floats("c").CopyTo(harness.Parameter("embedding.frequencies"));
        reference.Floats("W").CopyTo(harness.Parameter("embedding.weight"));
        reference.Floats("bias").CopyTo(harness.Parameter("embedding.bias"));
        var x = reference.Floats("x");

        var y = harness.Forward(x, batch);
        var dx = harness.Backward(x, y, reference.Floats("dy"), batch);

        AssertClose.All(reference.Floats("y"), y, what: "y");
        AssertClose.All(reference.Floats("dx"), dx, what: "dx");
        AssertClose.All(reference.Floats("dc"), harness.Gradient("embedding.frequencies"), what: "dc");
        AssertClose.All(reference.Floats("dW"), harness.Gradient("embedding.weight"), what: "dW");
        AssertClose.All(reference.Floats("dbias"), harness.Gradient("embedding.bias"), what: "dbias");
    }

    [Fact]
    public void PiecewiseLinearEncodingMatchesReference()
    {
        var reference = ReferenceData.Load("embedding_piecewise_linear");
        int features = reference.Int("features"), bins = reference.Int("bins");
        var x = reference.Floats("x");
        var batch = x.Length / features;
        var harness = new LayerHarness(new NumericEmbeddingLayer(features, NumericEmbedding.PiecewiseLinear, bins, 1, 1f, bins), batch);
        reference.Floats("edges").CopyTo(harness.Buffer("embedding.edges"));
        harness.Buffer("embedding.bins").Fill(bins);

        // Each feature's weight is the identity and its bias lifts every value above zero, so y − bias is the encoding.
        const float lift = 100f;
        var weight = harness.Parameter("embedding.weight");
        weight.Clear();
        for (var f = 0; f < features; f++)
        {
            for (var t = 0; t < bins; t++)
            {
                weight[(f * bins * bins) + (t * bins) + t] = 1f;
            }
        }

        harness.Parameter("embedding.bias").Fill(lift);
        var encoding = harness.Forward(x, batch).Select(v => v - lift).ToArray();

        AssertClose.All(reference.Floats("encoding"), encoding, atol: 1e-4, what: "encoding");
    }

    [Fact]
    public void PiecewiseLinearLeavesUnusedBinsAtZero()
    {
        var harness = new LayerHarness(new NumericEmbeddingLayer(1, NumericEmbedding.PiecewiseLinear, 4, 1, 1f, 4), 3);
        float[] edges = [0f, 1f, 3f, 3f, 3f];
        edges.CopyTo(harness.Buffer("embedding.edges"));
        harness.Buffer("embedding.bins")[0] = 2;
        var weight = harness.Parameter("embedding.weight");
        weight.Clear();
        for (var t = 0; t < 4; t++)
        {
            weight[(t * 4) + t] = 1f;
        }

        harness.Parameter("embedding.bias").Fill(10f);
        var y = harness.Forward([-1f, 2f, 7f], 3).Select(v => v - 10f).ToArray();

        // Two bins: the first unbounded below, the second (the last used) unbounded above; bins 3 and 4 stay zero.
        AssertClose.All([-1f, 0f, 0f, 0f, 1f, 0.5f, 0f, 0f, 1f, 3f, 0f, 0f], y, what: "encoding");
    }

    [Theory]
    [InlineData(NumericEmbedding.Periodic, 1, 1, 1, 1)]
    [InlineData(NumericEmbedding.Periodic, 5, 3, 4, 2)]
    [InlineData(NumericEmbedding.PeriodicLite, 4, 3, 2, 3)]
    [InlineData(NumericEmbedding.PiecewiseLinear, 6, 2, 3, 4)]
    [InlineData(NumericEmbedding.PiecewiseLinear, 3, 3, 2, 2)]
    public void GradientsMatchFiniteDifferences(NumericEmbedding kind, int batch, int features, int dimension, int size)
    {
        var harness = new LayerHarness(new NumericEmbeddingLayer(features, kind, dimension, size, 0.3f, size), batch);
        harness.RandomizeParameters(batch * 31 + features);
        if (kind == NumericEmbedding.PiecewiseLinear)
        {
            var edges = harness.Buffer("embedding.edges");
            for (var f = 0; f < features; f++)
            {
                for (var t = 0; t <= size; t++)
                {
                    edges[(f * (size + 1)) + t] = -1.7f + (t * 3.1f / size) + (0.05f * f);
                }
            }

            harness.Buffer("embedding.bins").Fill(size);
        }
        else
        {
            // Frequencies of order one so that cos and sin are far from linear over the inputs.
            var c = harness.Parameter("embedding.frequencies");
            for (var i = 0; i < c.Length; i++)
            {
                c[i] = 0.2f + (0.15f * i);
            }
        }

        // Biases well above zero keep the finite differences away from the ReLU's kink.
        harness.Parameter("embedding.bias").Fill(2f);
        harness.CheckGradients(batch, seed: features * 7 + size);
    }

    [Fact]
    public void StartsWithTruncatedNormalFrequenciesAndUniformLinearMaps()
    {
        var layer = new NumericEmbeddingLayer(50, NumericEmbedding.Periodic, 8, 40, 0.5f, 2);
        var random = new RandomGenerator(3);
        var values = layer.Parameters.ToDictionary(p => p.Name, p =>
        {
            var v = new float[p.Length];
            p.Initializer!(v, random);
            return v;
        });
        var c = values["embedding.frequencies"];
        var sd = Math.Sqrt(c.Select(v => (double)v * v).Average());
        Assert.InRange(sd, 0.42, 0.52);
        Assert.All(c, v => Assert.InRange(v, -1.5f, 1.5f));
        var bound = 1 / MathF.Sqrt(80);
        Assert.All(values["embedding.weight"], v => Assert.InRange(v, -bound, bound));
        Assert.All(values["embedding.bias"], v => Assert.InRange(v, -bound, bound));
        Assert.InRange(values["embedding.weight"].Max(), bound * 0.9f, bound);
        Assert.Equal([50, 8, 80], layer.Parameters[1].Shape);
        Assert.True(layer.Parameters[1].IsDecayed);
        Assert.False(layer.Parameters[0].IsDecayed);
    }

    [Fact]
    public void SharedMapHasOneWeightForAllFeatures()
    {
        var layer = new NumericEmbeddingLayer(7, NumericEmbedding.PeriodicLite, 4, 3, 0.1f, 2);
        Assert.Equal(["embedding.frequencies", "embedding.weight", "embedding.bias"], layer.Parameters.Select(p => p.Name));
        Assert.Equal([4, 6], layer.Parameters[1].Shape);
        Assert.Equal([4], layer.Parameters[2].Shape);
        Assert.Equal(28, layer.OutputSize);
        Assert.Empty(layer.Buffers);
    }

    [Fact]
    public void ManyRowsOnTwoThreadsGiveTheValuesOfOne()
    {
        const int batch = 300, features = 9;
        float[] Run(int threads, NumericEmbedding kind)
        {
            var layer = new NumericEmbeddingLayer(features, kind, 16, 12, 0.4f, 2);
            var harness = new LayerHarness(layer, batch);
            harness.RandomizeParameters(5);
            var context = new LayerContext(new RandomGenerator(1), threads) { Training = true };
            var x = Enumerable.Range(0, batch * features).Select(i => MathF.Sin(i * 0.37f) * 2).ToArray();
            var y = new float[batch * layer.OutputSize];
            layer.Forward(x, y, batch, context);
            var dx = new float[x.Length];
            layer.Backward(x, y, y, dx, batch, context);
            return [.. y, .. dx, .. harness.GradientStorage];
        }

        foreach (var kind in new[] { NumericEmbedding.Periodic, NumericEmbedding.PeriodicLite })
        {
            Assert.Equal(Run(1, kind), Run(2, kind));
        }
    }
}
