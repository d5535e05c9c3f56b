using MlNetDeep.Layers;
using MlNetDeep.Losses;
using MlNetDeep.Tests.TestUtilities;
using MlNetDeep.Training;
using Xunit;

namespace MlNetDeep.Tests.Layers;

public class EnsembleLayerTests
{
    /// <summary>Reorders <c>[members, batch, width]</c> (the reference layout) into <c>[batch, members, width]</c> (the layers'), or back.</summary>
    private static float[] Swap(float[] values, int outer, int inner, int width)
    {
        var result = new float[values.Length];
        for (var a = 0; a < outer; a++)
        {
            for (var b = 0; b < inner; b++)
            {
                values.AsSpan(((a * inner) + b) * width, width).CopyTo(result.AsSpan(((b * outer) + a) * width, width));
            }
        }

        return result;
    }

    [Fact]
    public void BatchEnsembleDenseMatchesReference()
    {
        var reference = ReferenceData.Load("batch_ensemble_linear");
        int members = reference.Int("members"), batch = reference.Int("batch"), inputs = reference.Int("in"), outputs = reference.Int("out");
        var harness = new LayerHarness(new BatchEnsembleDense(inputs, outputs, members, useBias: true, randomSigns: false), batch);
        reference.Floats("W").CopyTo(harness.Parameter("weight"));
        reference.Floats("r").CopyTo(harness.Parameter("r"));
        reference.Floats("s").CopyTo(harness.Parameter("s"));
        reference.Floats("bias").CopyTo(harness.Parameter("bias"));
        var x = Swap(reference.Floats("x"), members, batch, inputs);

        var y = harness.Forward(x, batch);
        var dx = harness.Backward(x, y, Swap(reference.Floats("dy"), members, batch, outputs), batch);

        AssertClose.All(reference.Floats("y"), Swap(y, batch, members, outputs), what: "y");
        AssertClose.All(reference.Floats("dx"), Swap(dx, batch, members, inputs), what: "dx");
        AssertClose.All(reference.Floats("dW"), harness.Gradient("weight"), what: "dW");
        AssertClose.All(reference.Floats("dr"), harness.Gradient("r"), what: "dr");
        AssertClose.All(reference.Floats("ds"), harness.Gradient("s"), what: "ds");
        AssertClose.All(reference.Floats("dbias"), harness.Gradient("bias"), what: "dbias");
    }

    [Theory]
    [InlineData(1, 3, 2, 2, true)]
    [InlineData(4, 5, 3, 3, false)]
    [InlineData(3, 2, 7, 4, true)]
    [InlineData(3, 4, 33, 2, true)] // an input narrower than a GEMM micro-tile: backward's products run transposed
    public void BatchEnsembleDenseGradientsMatchFiniteDifferences(int batch, int inputs, int outputs, int members, bool useBias)
    {
        var harness = new LayerHarness(new BatchEnsembleDense(inputs, outputs, members, useBias, randomSigns: false), batch);
        harness.RandomizeParameters(batch + inputs);
        harness.CheckGradients(batch, seed: outputs * members);
    }

    [Theory]
    [InlineData(5, 3, 4, 3, true)]
    [InlineData(6, 4, 40, 2, false)] // also an input narrower than a GEMM micro-tile
    public void SharedInputBackwardWithoutInputGradientMatchesTheGeneralBackward(int batch, int inputs, int outputs, int members, bool useBias)
    {
        // Every member's input is the same row, as after EnsembleExpand.
        var random = new Random(batch + outputs);
        var row = FiniteDifference.RandomVector(random, batch * inputs);
        var x = new float[batch * members * inputs];
        for (var b = 0; b < batch; b++)
        {
            for (var i = 0; i < members; i++)
            {
                row.AsSpan(b * inputs, inputs).CopyTo(x.AsSpan(((b * members) + i) * inputs, inputs));
            }
        }

        var dy = FiniteDifference.RandomVector(random, batch * members * outputs);
        var general = new LayerHarness(new BatchEnsembleDense(inputs, outputs, members, useBias, randomSigns: false), batch);
        var shared = new LayerHarness(new BatchEnsembleDense(inputs, outputs, members, useBias, randomSigns: false, sharedInput: true), batch);
        general.RandomizeParameters(7);
        general.ParameterStorage.CopyTo(shared.ParameterStorage, 0);
        general.Backward(x, general.Forward(x, batch), dy, batch);
        foreach (var accumulate in new[] { false, true })
        {
            // Written over stale values, or added to an earlier step's gradients.
            var earlier = FiniteDifference.RandomVector(random, shared.GradientStorage.Length);
            earlier.CopyTo(shared.GradientStorage, 0);
            shared.Context.AccumulateGradients = accumulate;
            shared.Layer.Backward(x, shared.Forward(x, batch), dy, Span<float>.Empty, batch, shared.Context);
            var expected = accumulate ? general.GradientStorage.Zip(earlier, (g, e) => g + e).ToArray() : general.GradientStorage;
            AssertClose.All(expected, shared.GradientStorage, what: $"gradients (accumulate: {accumulate})");
        }
    }

    [Theory]
    [InlineData(1, 3, 2, 2)]
    [InlineData(5, 4, 3, 3)]
    public void EnsembleHeadGradientsMatchFiniteDifferences(int batch, int inputs, int outputs, int members)
    {
        var harness = new LayerHarness(new EnsembleHead(inputs, outputs, members, (values, random) => values.Fill(0.1f)), batch);
        harness.RandomizeParameters(batch * inputs);
        harness.CheckGradients(batch, seed: members);
    }

    [Fact]
    public void EnsembleHeadGivesEachMemberItsOwnMap()
    {
        var harness = new LayerHarness(new EnsembleHead(2, 1, 2, (values, random) => values.Clear()), 1);
        float[] weight = [1f, 2f, -3f, 0.5f];
        weight.CopyTo(harness.Parameter("weight"));
        float[] bias = [0.25f, -1f];
        bias.CopyTo(harness.Parameter("bias"));

        // Row [member 0: (1, 1) | member 1: (2, 4)]: 1 + 2 + 0.25 and −6 + 2 − 1.
        Assert.Equal([3.25f, -5f], harness.Forward([1f, 1f, 2f, 4f], 1));
    }

    [Fact]
    public void ExpandCopiesEachRowForEveryMemberAndAddsTheirGradients()
    {
        var harness = new LayerHarness(new EnsembleExpand(2, 3), 2);
        var y = harness.Forward([1f, 2f, 3f, 4f], 2);
        Assert.Equal([1f, 2f, 1f, 2f, 1f, 2f, 3f, 4f, 3f, 4f, 3f, 4f], y);
        var dx = harness.Backward([1f, 2f, 3f, 4f], y, [1f, 0f, 2f, 0f, 3f, 1f, 0f, 1f, 0f, 1f, 0f, 1f], 2);
        Assert.Equal([6f, 1f, 0f, 3f], dx);
        harness.CheckGradients(2, seed: 3);
    }

    [Fact]
    public void MemberRowsNormalizeEachMemberOnItsOwn()
    {
        var harness = new LayerHarness(new MemberRows(new LayerNorm(3), 2), 2);
        harness.RandomizeParameters(4);
        harness.CheckGradients(2, seed: 5);

        var plain = new LayerHarness(new LayerNorm(3), 4);
        harness.Parameter("gamma").CopyTo(plain.Parameter("gamma"));
        harness.Parameter("beta").CopyTo(plain.Parameter("beta"));
        float[] x = [1f, 2f, 4f, -1f, 0f, 8f, 3f, 3f, 5f, 0.5f, -2f, 1f];
        Assert.Equal(plain.Forward(x, 4), harness.Forward(x, 2));
    }

    [Fact]
    public void EnsembleLossIsTheMeanOfTheMembersLossesAndThePredictionTheMeanProbability()
    {
        var reference = ReferenceData.Load("ensemble_mean_loss");
        int members = reference.Int("members"), batch = reference.Int("batch"), classes = reference.Int("classes");
        var logits = Swap(reference.Floats("logits"), members, batch, classes);
        var labels = reference.Floats("labels");
        var loss = new EnsembleMeanLoss(new SoftmaxCrossEntropyLoss(classes), members);
        var gradient = new float[logits.Length];

        var value = loss.LossAndGradient(logits, labels, [], batch, gradient);

        AssertClose.Scalar(reference.Double("loss"), value, what: "loss");
        AssertClose.All(reference.Floats("dlogits"), Swap(gradient, batch, members, classes), what: "dlogits");
        var probability = new float[batch * classes];
        var combined = new float[classes];
        for (var b = 0; b < batch; b++)
        {
            EnsemblePrediction.Combine(TaskKind.Multiclass, logits.AsSpan(b * members * classes, members * classes), members, combined);
            for (var c = 0; c < classes; c++)
            {
                probability[(b * classes) + c] = MathF.Exp(combined[c]);
            }
        }

        AssertClose.All(reference.Floats("probability"), probability, what: "probability");
    }

    [Fact]
    public void WeightedEnsembleLossWeighsEveryMemberOfARowAlike()
    {
        var loss = new EnsembleMeanLoss(new MeanSquaredErrorLoss(1), 2);
        float[] output = [1f, 3f, 0f, 0f];
        float[] targets = [2f, 1f];
        float[] weights = [1f, 3f];
        var gradient = new float[4];

        // Row 0: members' squared errors 1 and 1; row 1: 1 and 1 → every loss 1, mean 1.
        Assert.Equal(1.0, loss.LossAndGradient(output, targets, weights, 2, gradient), 6);

        // ∂L/∂y = (1/k)·w·2(y − t)/Σw.
        AssertClose.All([-0.25f, 0.25f, -0.75f, -0.75f], gradient, what: "gradient");
    }
}
