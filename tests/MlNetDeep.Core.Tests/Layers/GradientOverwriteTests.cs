using MlNetDeep.ActivationFunctions;
using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.Layers;

/// <summary>
/// With <see cref="LayerContext.AccumulateGradients"/> off, backward writes every parameter gradient: whatever the
/// gradient storage held before, the result equals a backward into cleared storage, bit for bit.
/// </summary>
public sealed class GradientOverwriteTests
{
    public static TheoryData<string> Layers => ["Dense", "DenseWithoutBias", "BatchNorm", "LayerNorm", "PReLU", "BatchEnsembleDense", "BatchEnsembleDenseNarrowInput", "EnsembleHead"];

    [Theory]
    [MemberData(nameof(Layers))]
    public void Overwriting_backward_equals_backward_into_cleared_gradients(string kind)
    {
        const int Batch = 5;
        var harness = new LayerHarness(Create(kind), Batch);
        harness.RandomizeParameters(1);
        var x = FiniteDifference.RandomVector(new Random(2), Batch * harness.Layer.InputSize);
        var dy = FiniteDifference.RandomVector(new Random(3), Batch * harness.Layer.OutputSize);
        var y = harness.Forward(x, Batch);
        harness.Backward(x, y, dy, Batch);
        var cleared = harness.GradientStorage.ToArray();
        Assert.Contains(cleared, g => g != 0f);

        Array.Fill(harness.GradientStorage, 123.5f);
        harness.Context.AccumulateGradients = false;
        harness.Layer.Backward(x, y, dy, new float[x.Length], Batch, harness.Context);

        Assert.Equal(cleared, harness.GradientStorage);
    }

    private static Layer Create(string kind) => kind switch
    {
        "Dense" => new Dense(7, 4),
        "DenseWithoutBias" => new Dense(7, 4, useBias: false),
        "BatchNorm" => new BatchNorm(6),
        "LayerNorm" => new LayerNorm(6),
        "PReLU" => new PReLU(6),
        "BatchEnsembleDense" => new BatchEnsembleDense(7, 4, 3, useBias: true, randomSigns: false),
        "BatchEnsembleDenseNarrowInput" => new BatchEnsembleDense(5, 33, 2, useBias: false, randomSigns: false),
        "EnsembleHead" => new EnsembleHead(4, 3, 2, (values, random) => values.Fill(0.1f)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
