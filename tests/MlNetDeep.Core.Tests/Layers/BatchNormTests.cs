using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.Layers;

public class BatchNormTests
{
    [Fact]
    public void TrainingStepThenEvaluationMatchReference()
    {
        var reference = ReferenceData.Load("batchnorm_train_then_eval");
        int batch = reference.Int("batch"), units = reference.Int("units");
        var layer = new BatchNorm(units, (float)reference.Double("eps"), (float)reference.Double("momentum"));
        var harness = new LayerHarness(layer, batch);
        reference.Floats("gamma").CopyTo(harness.Parameter("gamma"));
        reference.Floats("beta").CopyTo(harness.Parameter("beta"));
        reference.Floats("running_mean_before").CopyTo(harness.Buffer("running_mean"));
        reference.Floats("running_var_before").CopyTo(harness.Buffer("running_var"));
        var x = reference.Floats("x");

        var y = harness.Forward(x, batch);
        var dx = harness.Backward(x, y, reference.Floats("dy"), batch);

        AssertClose.All(reference.Floats("y"), y, what: "y");
        AssertClose.All(reference.Floats("dx"), dx, what: "dx");
        AssertClose.All(reference.Floats("dgamma"), harness.Gradient("gamma"), what: "dgamma");
        AssertClose.All(reference.Floats("dbeta"), harness.Gradient("beta"), what: "dbeta");
        AssertClose.All(reference.Floats("running_mean_after"), harness.Buffer("running_mean"), what: "running_mean");
        AssertClose.All(reference.Floats("running_var_after"), harness.Buffer("running_var"), what: "running_var");

        harness.Context.Training = false;
        var evalY = harness.Forward(reference.Floats("eval_x"), reference.Int("eval_batch"));
        AssertClose.All(reference.Floats("eval_y"), evalY, what: "eval_y");
    }

    [Fact]
    public void DeclaresParametersAndBuffersWithTheirStartingValues()
    {
        var layer = new BatchNorm(3);
        Assert.Equal(
            [("gamma", ParameterRole.Scale, 1f), ("beta", ParameterRole.Shift, 0f)],
            layer.Parameters.Select(p => (p.Name, p.Role, p.InitialValue)));
        Assert.Equal(
            [("running_mean", ParameterRole.RunningMean, 0f), ("running_var", ParameterRole.RunningVariance, 1f)],
            layer.Buffers.Select(p => (p.Name, p.Role, p.InitialValue)));
        Assert.All(layer.Parameters.Concat(layer.Buffers), p => Assert.Equal([3], p.Shape));
        Assert.Equal(1e-5f, layer.Epsilon);
        Assert.Equal(0.1f, layer.Momentum);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 17)]
    [InlineData(17, 3)]
    [InlineData(5, 33)]
    public void TrainingGradientsMatchFiniteDifferences(int batch, int units)
    {
        var harness = new LayerHarness(new BatchNorm(units), batch);
        harness.RandomizeParameters(batch * units);
        harness.CheckGradients(batch, seed: batch + units);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(4, 17)]
    public void InferenceGradientsMatchFiniteDifferences(int batch, int units)
    {
        var harness = new LayerHarness(new BatchNorm(units), batch, training: false);
        harness.RandomizeParameters(units);
        var random = new Random(units);
        FiniteDifference.RandomVector(random, units, -1, 1).CopyTo(harness.Buffer("running_mean"));
        FiniteDifference.RandomVector(random, units, 0.5, 2).CopyTo(harness.Buffer("running_var"));
        harness.CheckGradients(batch, seed: batch);
    }

    [Fact]
    public void TrainingBatchOfOneUsesRunningStatisticsAndLeavesThemUnchanged()
    {
        const int Units = 5;
        var harness = new LayerHarness(new BatchNorm(Units), 1);
        harness.RandomizeParameters(1);
        float[] mean = [0.5f, -1, 2, 0, 3];
        float[] variance = [1, 4, 0.25f, 2, 9];
        mean.CopyTo(harness.Buffer("running_mean"));
        variance.CopyTo(harness.Buffer("running_var"));
        float[] x = [1, 2, 3, 4, 5];

        var y = harness.Forward(x, 1);
        var dy = new float[] { 1, -1, 2, 0.5f, 3 };
        var dx = harness.Backward(x, y, dy, 1);

        Assert.Equal(mean, harness.Buffer("running_mean").ToArray());
        Assert.Equal(variance, harness.Buffer("running_var").ToArray());
        var gamma = harness.Parameter("gamma").ToArray();
        var beta = harness.Parameter("beta").ToArray();
        for (var u = 0; u < Units; u++)
        {
            var inverseStd = 1 / Math.Sqrt(variance[u] + 1e-5);
            var xHat = (x[u] - mean[u]) * inverseStd;
            AssertClose.Scalar((gamma[u] * xHat) + beta[u], y[u], what: $"y[{u}]");
            AssertClose.Scalar(gamma[u] * inverseStd * dy[u], dx[u], what: $"dx[{u}]");
            AssertClose.Scalar(dy[u] * xHat, harness.Gradient("gamma")[u], what: $"dgamma[{u}]");
            AssertClose.Scalar(dy[u], harness.Gradient("beta")[u], what: $"dbeta[{u}]");
        }

        // The same row at inference gives the same output.
        harness.Context.Training = false;
        Assert.Equal(y, harness.Forward(x, 1));
    }

    [Fact]
    public void InferenceBatchOfOneIsFinite()
    {
        var harness = new LayerHarness(new BatchNorm(4), 1, training: false);
        harness.RandomizeParameters(2);
        var y = harness.Forward([1e3f, -1e3f, 0, 1e-3f], 1);
        Assert.All(y, v => Assert.True(float.IsFinite(v)));
        AssertClose.Scalar((harness.Parameter("gamma")[0] * 1e3 / Math.Sqrt(1 + 1e-5)) + harness.Parameter("beta")[0], y[0]);
    }

    [Fact]
    public void ConstantColumnInTrainingIsFiniteAndMapsToBeta()
    {
        var harness = new LayerHarness(new BatchNorm(2), 3);
        harness.RandomizeParameters(3);
        float[] x = [7, 1, 7, 2, 7, 3];
        var y = harness.Forward(x, 3);
        var dx = harness.Backward(x, y, [1, 1, 2, 2, 3, 3], 3);
        Assert.All(y.Concat(dx), v => Assert.True(float.IsFinite(v)));
        for (var r = 0; r < 3; r++)
        {
            AssertClose.Scalar(harness.Parameter("beta")[0], y[r * 2], what: "constant column");
        }
    }

    [Fact]
    public void PopulationStatisticsAreTheExactMeanAndUnbiasedVariance()
    {
        const int Units = 3;
        var layer = new BatchNorm(Units);
        var harness = new LayerHarness(layer, 8);
        var random = new Random(11);

        // Batches of uneven sizes (one of a single row), far from zero so a naive Σx² would lose digits.
        int[] sizes = [8, 5, 1, 7];
        var batches = sizes.Select(n => FiniteDifference.RandomVector(random, n * Units, 1000, 1004)).ToArray();
        layer.BeginPopulationStatistics();
        for (var i = 0; i < batches.Length; i++)
        {
            layer.AccumulatePopulationStatistics(batches[i], sizes[i]);
        }

        Assert.Equal(1f, harness.Buffer("running_var")[0]);
        layer.EndPopulationStatistics();

        var all = batches.SelectMany(b => b).ToArray();
        var rows = all.Length / Units;
        for (var u = 0; u < Units; u++)
        {
            var column = Enumerable.Range(0, rows).Select(r => (double)all[(r * Units) + u]).ToArray();
            var mean = column.Average();
            var variance = column.Sum(v => (v - mean) * (v - mean)) / (rows - 1);
            AssertClose.Scalar(mean, harness.Buffer("running_mean")[u], rtol: 1e-6, what: "mean");
            AssertClose.Scalar(variance, harness.Buffer("running_var")[u], rtol: 1e-5, what: "variance");
        }
    }

    [Fact]
    public void PopulationStatisticsNeedBeginAndTwoRows()
    {
        var layer = new BatchNorm(2);
        _ = new LayerHarness(layer, 2);
        Assert.Throws<InvalidOperationException>(() => layer.AccumulatePopulationStatistics(new float[2], 1));
        layer.BeginPopulationStatistics();
        layer.AccumulatePopulationStatistics(new float[2], 1);
        var error = Assert.Throws<InvalidOperationException>(layer.EndPopulationStatistics);
        Assert.Contains("Received: 1 rows", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void RejectsMomentumOutsideTheUnitInterval(float momentum)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm(3, momentum: momentum));
        Assert.Contains($"momentum={momentum}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForwardAndBackwardDoNotAllocate()
    {
        var harness = new LayerHarness(new BatchNorm(17), 8);
        Assert.Equal(0, harness.AllocatedBytesPerStep(8));
        harness.Context.Training = false;
        Assert.Equal(0, harness.AllocatedBytesPerStep(1));
    }
}
