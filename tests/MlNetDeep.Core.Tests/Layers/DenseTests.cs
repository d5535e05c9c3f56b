using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.Layers;

public class DenseTests
{
    [Fact]
    public void MatchesReference()
    {
        var reference = ReferenceData.Load("dense");
        int batch = reference.Int("batch"), inputs = reference.Int("in"), outputs = reference.Int("out");
        var harness = new LayerHarness(new Dense(inputs, outputs), batch);
        reference.Floats("W").CopyTo(harness.Parameter("weight"));
        reference.Floats("b").CopyTo(harness.Parameter("bias"));
        var x = reference.Floats("x");

        var y = harness.Forward(x, batch);
        var dx = harness.Backward(x, y, reference.Floats("dy"), batch);

        AssertClose.All(reference.Floats("y"), y, what: "y");
        AssertClose.All(reference.Floats("dx"), dx, what: "dx");
        AssertClose.All(reference.Floats("dW"), harness.Gradient("weight"), what: "dW");
        AssertClose.All(reference.Floats("db"), harness.Gradient("bias"), what: "db");
    }

    [Fact]
    public void DeclaresWeightAndOptionalBias()
    {
        var withBias = new Dense(7, 4);
        Assert.Equal(["weight", "bias"], withBias.Parameters.Select(p => p.Name));
        Assert.Equal([4, 7], withBias.Parameters[0].Shape);
        Assert.Equal(ParameterRole.Weight, withBias.Parameters[0].Role);
        Assert.Equal([4], withBias.Parameters[1].Shape);
        Assert.Equal(ParameterRole.Bias, withBias.Parameters[1].Role);
        Assert.Equal(0f, withBias.Parameters[1].InitialValue);

        var withoutBias = new Dense(7, 4, useBias: false);
        var weight = Assert.Single(withoutBias.Parameters);
        Assert.Equal("weight", weight.Name);
        Assert.Empty(withoutBias.Buffers);
    }

    [Theory]
    [InlineData(1, 1, 1, true)]
    [InlineData(3, 17, 5, true)]
    [InlineData(2, 33, 3, false)]
    [InlineData(17, 3, 1, true)]
    [InlineData(5, 1, 33, false)]
    public void GradientsMatchFiniteDifferences(int batch, int inputs, int outputs, bool useBias)
    {
        var harness = new LayerHarness(new Dense(inputs, outputs, useBias), batch);
        harness.RandomizeParameters(batch + inputs + outputs);
        harness.CheckGradients(batch, seed: inputs * outputs);
    }

    [Fact]
    public void WithoutBiasIsThePlainProduct()
    {
        var harness = new LayerHarness(new Dense(2, 2, useBias: false), 1);
        float[] w = [1, 2, 3, 4];
        w.CopyTo(harness.Parameter("weight"));
        var y = harness.Forward([10, 100], 1);
        Assert.Equal([210f, 430f], y);
    }

    [Fact]
    public void BackwardAccumulatesParameterGradientsAndSkipsAnEmptyInputGradient()
    {
        var layer = new Dense(3, 2);
        var harness = new LayerHarness(layer, 2);
        harness.RandomizeParameters(1);
        var x = FiniteDifference.RandomVector(new Random(2), 6);
        var dy = FiniteDifference.RandomVector(new Random(3), 4);
        var y = harness.Forward(x, 2);
        harness.Backward(x, y, dy, 2);
        var once = harness.GradientStorage.ToArray();

        layer.Backward(x, y, dy, Span<float>.Empty, 2, harness.Context);

        AssertClose.All(once.Select(v => 2 * v).ToArray(), harness.GradientStorage, what: "accumulated gradients");
    }

    [Fact]
    public void ForwardAndBackwardDoNotAllocate()
    {
        var harness = new LayerHarness(new Dense(17, 5), 8);
        harness.RandomizeParameters(1);
        Assert.Equal(0, harness.AllocatedBytesPerStep(8));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SparseRowsGiveTheOutputAndWeightGradientOfTheSameRowsDense(bool useBias)
    {
        const int batch = 6, inputs = 40, outputs = 7;
        var random = new MlNetDeep.Compute.RandomGenerator(4);
        var (values, indices, rowStarts, x) = MlNetDeep.Tests.Compute.SparseProductTests.RandomCsr(random, batch, inputs, 0.1, offset: 3);
        var layer = new Dense(inputs, outputs, useBias);
        var harness = new LayerHarness(layer, batch);
        harness.RandomizeParameters(9);
        var dy = FiniteDifference.RandomVector(new Random(5), batch * outputs);
        var y = harness.Forward(x, batch);
        harness.Backward(x, y, dy, batch);
        var denseGradients = harness.GradientStorage.ToArray();

        var sparseY = new float[batch * outputs];
        layer.ForwardProductSparse(values, indices, rowStarts, sparseY, batch, harness.Context);
        if (useBias)
        {
            layer.FinishRows(sparseY, batch);
        }

        Array.Fill(harness.GradientStorage, float.NaN);
        harness.Context.AccumulateGradients = false;
        layer.BackwardSparse(values, indices, rowStarts, dy, batch, harness.Context);

        AssertClose.All(y, sparseY, what: "y");
        AssertClose.All(denseGradients, harness.GradientStorage, what: "gradients");

        harness.Context.AccumulateGradients = true;
        layer.BackwardSparse(values, indices, rowStarts, dy, batch, harness.Context);
        AssertClose.All(denseGradients.Select(g => 2 * g).ToArray(), harness.GradientStorage, what: "accumulated gradients");
    }
}
