using MlNetDeep.Diagnostics;
using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Diagnostics;

public class DiagnosticsCollectorTests
{
    private static readonly float[] Inputs = [-1f, 0f, 1f, 2f];

    /// <summary>Runs one training step on <paramref name="input"/> with output gradient 1 per row and records it as epoch 1.</summary>
    private static LayerDiagnostics[] ObserveOneStep(SequentialNetwork network, float[] input, Action? betweenStepAndEnd = null)
    {
        var rows = input.Length / network.Spec.InputSize;
        network.Allocate(rows);
        var collector = new DiagnosticsCollector(network, new DiagnosticsSettings(), rows);
        collector.BeginEpoch();
        var context = NetworkBuilder.Training();
        network.ZeroGradients();
        network.Forward(input, rows, context);
        network.Backward(Enumerable.Repeat(1f, rows * network.Spec.OutputSize).ToArray(), rows, context);
        collector.ObserveStep(rows);
        betweenStepAndEnd?.Invoke();
        collector.EndEpoch(1);
        return [.. collector.Result().Records];
    }

    private static (double Mean, double Std) Moments(IEnumerable<double> values)
    {
        var list = values.ToArray();
        var mean = list.Average();
        return (mean, Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / list.Length));
    }

    [Fact]
    public void MeasuresAReLUBlockByHand()
    {
        // Block 0: pre = [x + 0.5, 2x − 1]; output = 1·relu(pre₀) + 0·relu(pre₁) + 0.
        var network = NetworkBuilder.Create(1, TaskKind.Regression, 0, new HiddenLayerSpec(2, Activation.ReLU, Normalization.None, 0f));
        NetworkBuilder.Set(network, "layers.0.weight", 1f, 2f);
        NetworkBuilder.Set(network, "layers.0.bias", 0.5f, -1f);
        NetworkBuilder.Set(network, "layers.1.weight", 1f, 0f);
        NetworkBuilder.Set(network, "layers.1.bias", 0f);

        var record = Assert.Single(ObserveOneStep(network, Inputs, () => NetworkBuilder.Set(network, "layers.0.weight", 2f, 2f)));

        var pre = Inputs.SelectMany(x => new double[] { x + 0.5, (2 * x) - 1 }).ToArray();
        var (preMean, preStd) = Moments(pre);
        var (actMean, actStd) = Moments(pre.Select(v => Math.Max(v, 0)));
        Assert.Equal(1, record.Epoch);
        Assert.Equal(0, record.Block);
        Assert.Equal(4, record.Rows);
        AssertClose.Scalar(0.5, record.PreActivationMean, what: "pre-activation mean");
        AssertClose.Scalar(preMean, record.PreActivationMean, what: "pre-activation mean");
        AssertClose.Scalar(preStd, record.PreActivationStd, what: "pre-activation std");
        AssertClose.Scalar(actMean, record.ActivationMean, what: "activation mean");
        AssertClose.Scalar(actStd, record.ActivationStd, what: "activation std");

        // d pre₀ = relu'(x + 0.5) = [0, 1, 1, 1]: dW₀ = Σ x·relu' = 3, db₀ = 3; unit 1 gets no gradient.
        AssertClose.Scalar(Math.Sqrt(18), record.GradientNorm, what: "gradient norm");

        // The weight moved from [1, 2] to [2, 2] during the "epoch".
        AssertClose.Scalar(Math.Sqrt(8), record.WeightNorm, what: "weight norm");
        AssertClose.Scalar(1 / Math.Sqrt(8), record.UpdateRatio!.Value, what: "update ratio");
        Assert.Equal(0, record.DeadFraction);
        Assert.Null(record.SaturatedFraction);
        Assert.Null(record.RunningMeanAverage);
        Assert.Null(record.RunningVarianceAverage);
    }

    [Fact]
    public void AReLULayerWithANegativeBiasIsAllDead()
    {
        var network = NetworkBuilder.Create(1, TaskKind.Regression, 0, new HiddenLayerSpec(3, Activation.ReLU, Normalization.None, 0f));
        NetworkBuilder.Set(network, "layers.0.weight", 1f, -1f, 0.5f);
        NetworkBuilder.Set(network, "layers.0.bias", -100f, -100f, -100f);

        var record = Assert.Single(ObserveOneStep(network, Inputs));

        Assert.Equal(1.0, record.DeadFraction);
        Assert.Equal(0.0, record.ActivationStd);
        Assert.Equal(0.0, record.GradientNorm);
    }

    [Fact]
    public void OneDeadUnitOfTwoIsHalfDead()
    {
        var network = NetworkBuilder.Create(1, TaskKind.Regression, 0, new HiddenLayerSpec(2, Activation.ReLU, Normalization.None, 0f));
        NetworkBuilder.Set(network, "layers.0.weight", 1f, 1f);
        NetworkBuilder.Set(network, "layers.0.bias", 0f, -10f);

        Assert.Equal(0.5, Assert.Single(ObserveOneStep(network, Inputs)).DeadFraction);
    }

    [Theory]
    [InlineData(Activation.LeakyReLU)]
    [InlineData(Activation.ELU)]
    [InlineData(Activation.SELU)]
    [InlineData(Activation.GELU)]
    [InlineData(Activation.PReLU)]
    public void TheOtherReLUFamilyUnitsAreDeadWhenThePreActivationNeverTurnsPositive(Activation activation)
    {
        var network = NetworkBuilder.Create(1, TaskKind.Regression, 0, new HiddenLayerSpec(2, activation, Normalization.None, 0f));
        NetworkBuilder.Set(network, "layers.0.weight", 1f, 1f);
        NetworkBuilder.Set(network, "layers.0.bias", -5f, 0.5f);

        Assert.Equal(0.5, Assert.Single(ObserveOneStep(network, Inputs)).DeadFraction);
    }

    [Theory]
    [InlineData(Activation.Sigmoid, 100f, 1.0)]
    [InlineData(Activation.HardSigmoid, 100f, 1.0)]
    [InlineData(Activation.Tanh, 100f, 1.0)]
    [InlineData(Activation.Softsign, 1000f, 1.0)]
    [InlineData(Activation.Sigmoid, 0.01f, 0.0)]
    [InlineData(Activation.Tanh, 0.01f, 0.0)]
    public void SquashingUnitsWithHugeWeightsAreSaturated(Activation activation, float weight, double expected)
    {
        // Inputs ±0.5, ±1.5: pre-activations ±50 and ±150 with weight 100, within ±0.015 with weight 0.01.
        var network = NetworkBuilder.Create(1, TaskKind.Regression, 0, new HiddenLayerSpec(2, activation, Normalization.None, 0f));
        NetworkBuilder.Set(network, "layers.0.weight", weight, -weight);
        NetworkBuilder.Set(network, "layers.0.bias", 0f, 0f);

        var record = Assert.Single(ObserveOneStep(network, [-1.5f, -0.5f, 0.5f, 1.5f]));

        Assert.Equal(expected, record.SaturatedFraction);
        Assert.Null(record.DeadFraction);
    }

    [Fact]
    public void SaturationCountsValuesNotUnits()
    {
        // Unit 0 saturates on the two outer rows only (|pre| = 150 vs 0.5), unit 1 never: 2 of 8 values.
        var network = NetworkBuilder.Create(1, TaskKind.Regression, 0, new HiddenLayerSpec(2, Activation.Tanh, Normalization.None, 0f));
        NetworkBuilder.Set(network, "layers.0.weight", 100f, 0.01f);
        NetworkBuilder.Set(network, "layers.0.bias", 0f, 0f);

        Assert.Equal(0.25, Assert.Single(ObserveOneStep(network, [-1.5f, -0.005f, 0.005f, 1.5f])).SaturatedFraction);
    }

    [Fact]
    public void BatchNormBlocksReportNormalizedPreActivationsAndRunningStatistics()
    {
        // Dense (no bias) [x, 2x] over x = −1, 0, 1, 2: batch means 0.5 and 1, unbiased variances 5/3 and 20/3.
        var network = NetworkBuilder.Create(1, TaskKind.Regression, 0, new HiddenLayerSpec(2, Activation.ReLU, Normalization.BatchNorm, 0f));
        NetworkBuilder.Set(network, "layers.0.weight", 1f, 2f);

        var record = Assert.Single(ObserveOneStep(network, Inputs));

        AssertClose.Scalar(0, record.PreActivationMean, atol: 1e-6, what: "normalized mean");
        AssertClose.Scalar(1, record.PreActivationStd, rtol: 1e-4, what: "normalized std");
        AssertClose.Scalar(0.1 * (0.5 + 1) / 2, record.RunningMeanAverage!.Value, what: "mean of running_mean");
        AssertClose.Scalar(0.9 + (0.1 * ((5.0 / 3) + (20.0 / 3)) / 2), record.RunningVarianceAverage!.Value, what: "mean of running_var");
        Assert.Equal(Normalization.BatchNorm, record.Normalization);
    }

    [Fact]
    public void SampledBatchesPerEpochStopsObservingAfterTheSample()
    {
        var network = NetworkBuilder.Create(1, TaskKind.Regression, 0, new HiddenLayerSpec(2, Activation.ReLU, Normalization.None, 0f));
        network.Allocate(4);
        var collector = new DiagnosticsCollector(network, new DiagnosticsSettings { SampledBatchesPerEpoch = 2 }, 4);
        var context = NetworkBuilder.Training();
        collector.BeginEpoch();
        for (var step = 0; step < 5; step++)
        {
            network.Forward(Inputs, 4, context);
            collector.ObserveStep(4);
        }

        collector.EndEpoch(1);

        Assert.Equal(8, Assert.Single(collector.Result().Records).Rows);
    }

    [Fact]
    public void RejectsABadSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => new TrainingSettings { Diagnostics = new DiagnosticsSettings { SaturationMargin = 0.7f } }.Validate());
        Assert.Contains("SaturationMargin=0.7", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => new DiagnosticsSettings { SampledBatchesPerEpoch = -1 }.Validate());
        Assert.Contains("SampledBatchesPerEpoch=-1", error.Message, StringComparison.Ordinal);
    }
}
