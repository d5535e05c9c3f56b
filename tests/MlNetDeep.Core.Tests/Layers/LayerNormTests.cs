using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.Layers;

public class LayerNormTests
{
    [Fact]
    public void MatchesReference()
    {
        var reference = ReferenceData.Load("layernorm");
        int batch = reference.Int("batch"), units = reference.Int("units");
        var harness = new LayerHarness(new LayerNorm(units, (float)reference.Double("eps")), batch);
        reference.Floats("gamma").CopyTo(harness.Parameter("gamma"));
        reference.Floats("beta").CopyTo(harness.Parameter("beta"));
        var x = reference.Floats("x");

        var y = harness.Forward(x, batch);
        var dx = harness.Backward(x, y, reference.Floats("dy"), batch);

        AssertClose.All(reference.Floats("y"), y, what: "y");
        AssertClose.All(reference.Floats("dx"), dx, what: "dx");
        AssertClose.All(reference.Floats("dgamma"), harness.Gradient("gamma"), what: "dgamma");
        AssertClose.All(reference.Floats("dbeta"), harness.Gradient("beta"), what: "dbeta");

        // No running state: inference gives the same output.
        harness.Context.Training = false;
        AssertClose.All(reference.Floats("y"), harness.Forward(x, batch), what: "inference y");
    }

    [Fact]
    public void DeclaresScaleAndShift()
    {
        var layer = new LayerNorm(4);
        Assert.Equal(
            [("gamma", ParameterRole.Scale, 1f), ("beta", ParameterRole.Shift, 0f)],
            layer.Parameters.Select(p => (p.Name, p.Role, p.InitialValue)));
        Assert.Empty(layer.Buffers);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 3)]
    [InlineData(3, 17)]
    [InlineData(17, 5)]
    [InlineData(2, 33)]
    public void GradientsMatchFiniteDifferences(int batch, int units)
    {
        var harness = new LayerHarness(new LayerNorm(units), batch);
        harness.RandomizeParameters(batch * units);
        harness.CheckGradients(batch, seed: batch + units);
    }

    [Fact]
    public void RowsHaveZeroMeanAndUnitVarianceBeforeTheAffineMap()
    {
        var harness = new LayerHarness(new LayerNorm(33), 3);
        var x = FiniteDifference.RandomVector(new Random(5), 99, 100, 110);
        var y = harness.Forward(x, 3);
        for (var r = 0; r < 3; r++)
        {
            var row = y.AsSpan(r * 33, 33).ToArray();
            var mean = row.Average();
            AssertClose.Scalar(0, mean, atol: 1e-5, what: "row mean");
            AssertClose.Scalar(1, row.Sum(v => (v - mean) * (v - mean)) / 33, rtol: 1e-3, what: "row variance");
        }
    }

    [Fact]
    public void RejectsABatchLargerThanAllocated()
    {
        var harness = new LayerHarness(new LayerNorm(3), 2);
        Assert.Throws<InvalidOperationException>(() => harness.Forward(new float[9], 3));
    }

    [Fact]
    public void ForwardAndBackwardDoNotAllocate()
    {
        var harness = new LayerHarness(new LayerNorm(17), 8);
        Assert.Equal(0, harness.AllocatedBytesPerStep(8));
    }
}
