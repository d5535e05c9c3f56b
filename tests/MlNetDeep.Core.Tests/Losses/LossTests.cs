using MlNetDeep.Losses;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.Losses;

public class LossTests
{
    public static TheoryData<string, int, int> Shapes()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var loss in new[] { "softmax", "softmax_ls", "bce", "bce_ls", "mse", "huber" })
        {
            foreach (var (batch, outputs) in new[] { (1, 1), (3, 1), (17, 1), (1, 3), (3, 17), (17, 3), (4, 33) })
            {
                if (loss.StartsWith("softmax", StringComparison.Ordinal) && outputs == 1)
                {
                    continue;
                }

                data.Add(loss, batch, outputs);
            }
        }

        return data;
    }

    [Theory]
    [InlineData("loss_softmax_cross_entropy")]
    [InlineData("loss_softmax_cross_entropy_extreme")]
    public void SoftmaxCrossEntropyMatchesPyTorch(string file)
    {
        var reference = ReferenceData.Load(file);
        var shape = reference.Root.GetProperty("shape");
        int batch = shape[0].GetInt32(), classes = shape[1].GetInt32();
        var loss = new SoftmaxCrossEntropyLoss(classes);
        var logits = reference.Floats("logits");
        var labels = reference.Floats("labels");
        var gradient = new float[batch * classes];

        var value = loss.LossAndGradient(logits, labels, default, batch, gradient);

        Assert.True(double.IsFinite(value));
        AssertClose.Scalar(reference.Double("loss"), value, what: file);
        AssertClose.All(reference.Floats("dlogits"), gradient, what: file);
        AssertClose.Scalar(reference.Double("loss"), loss.Loss(logits, labels, default, batch), what: file);
    }

    [Fact]
    public void SoftmaxCrossEntropyWithLabelSmoothingMatchesPyTorch()
    {
        var reference = ReferenceData.Load("loss_softmax_cross_entropy_label_smoothing");
        int batch = reference.Int("batch"), classes = reference.Int("classes");
        var loss = new SoftmaxCrossEntropyLoss(classes, (float)reference.Double("eps"));
        var logits = reference.Floats("logits");
        var labels = reference.Floats("labels");
        var weights = reference.Floats("weights");
        var gradient = new float[batch * classes];

        AssertClose.Scalar(reference.Double("loss"), loss.LossAndGradient(logits, labels, default, batch, gradient), what: "loss");
        AssertClose.All(reference.Floats("dlogits"), gradient, what: "dlogits");
        AssertClose.Scalar(reference.Double("loss"), loss.Loss(logits, labels, default, batch), what: "loss without gradient");

        AssertClose.Scalar(reference.Double("weighted_loss"), loss.LossAndGradient(logits, labels, weights, batch, gradient), what: "weighted loss");
        AssertClose.All(reference.Floats("weighted_dlogits"), gradient, what: "weighted dlogits");
        AssertClose.Scalar(reference.Double("weighted_loss") * weights.Sum(), loss.LossSum(logits, labels, weights, batch), what: "weighted loss sum");

        var perRow = reference.Floats("per_row");
        for (var i = 0; i < batch; i++)
        {
            AssertClose.Scalar(perRow[i], loss.Loss(logits.AsSpan(i * classes, classes), labels.AsSpan(i, 1), default, 1), what: $"per_row[{i}]");
        }
    }

    [Fact]
    public void BinaryLabelSmoothingMovesTheTargetsTowardsOneHalf()
    {
        // y·(1 − ε) + ε/2: with ε = 0.2, 1 → 0.9 and 0 → 0.1; a soft target 0.25 → 0.3.
        var smoothed = new SigmoidBinaryCrossEntropyLoss(1, 0.2f);
        var plain = new SigmoidBinaryCrossEntropyLoss(1);
        float[] logits = [1.5f, -0.7f, 0.2f, 3f];
        float[] weights = [1f, 2f, 0.5f, 1f];
        var smoothedGradient = new float[4];
        var plainGradient = new float[4];

        var value = smoothed.LossAndGradient(logits, [1f, 0f, 0.25f, 1f], weights, 4, smoothedGradient);
        var expected = plain.LossAndGradient(logits, [0.9f, 0.1f, 0.3f, 0.9f], weights, 4, plainGradient);

        AssertClose.Scalar(expected, value, rtol: 1e-6);
        AssertClose.All(plainGradient, smoothedGradient, rtol: 1e-6, atol: 1e-8);
        var p = 1 / (1 + Math.Exp(-1.5));
        AssertClose.Scalar(weights[0] * (p - 0.9) / weights.Sum(), smoothedGradient[0], rtol: 1e-5);
        Assert.Equal(3, smoothed.CountCorrect(logits, [1f, 0f, 0.75f, 0f], 4));
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void LabelSmoothingOutsideTheUnitIntervalIsRejected(float epsilon)
    {
        foreach (var create in new Func<object>[] { () => new SoftmaxCrossEntropyLoss(3, epsilon), () => new SigmoidBinaryCrossEntropyLoss(1, epsilon) })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(create);
            Assert.Contains($"LabelSmoothing must be in [0, 1). Received: LabelSmoothing={epsilon}.", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SigmoidBinaryCrossEntropyMatchesPyTorch()
    {
        var reference = ReferenceData.Load("loss_sigmoid_binary_cross_entropy");
        var logits = reference.Floats("logits");
        var loss = new SigmoidBinaryCrossEntropyLoss(1);
        var gradient = new float[logits.Length];

        var value = loss.LossAndGradient(logits, reference.Floats("labels"), default, logits.Length, gradient);

        AssertClose.Scalar(reference.Double("loss"), value);
        AssertClose.All(reference.Floats("dlogits"), gradient);
    }

    [Theory]
    [InlineData("loss_mse")]
    [InlineData("loss_huber")]
    public void RegressionLossesMatchPyTorch(string file)
    {
        var reference = ReferenceData.Load(file);
        var prediction = reference.Floats("prediction");
        LossFunction loss = file == "loss_mse" ? new MeanSquaredErrorLoss(1) : new HuberLoss(1, (float)reference.Double("delta"));
        var gradient = new float[prediction.Length];

        var value = loss.LossAndGradient(prediction, reference.Floats("target"), default, prediction.Length, gradient);

        AssertClose.Scalar(reference.Double("loss"), value, what: file);
        AssertClose.All(reference.Floats("dprediction"), gradient, what: file);

        // The same values as one example with several outputs: the mean over the row is the same mean.
        var multi = file == "loss_mse" ? (LossFunction)new MeanSquaredErrorLoss(prediction.Length) : new HuberLoss(prediction.Length, (float)reference.Double("delta"));
        Array.Clear(gradient);
        AssertClose.Scalar(reference.Double("loss"), multi.LossAndGradient(prediction, reference.Floats("target"), [2.5f], 1, gradient), what: file);
        AssertClose.All(reference.Floats("dprediction"), gradient, what: file);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GradientMatchesFiniteDifferences(string name, int batch, int outputs)
    {
        var random = new Random((batch * 100) + outputs);
        var (loss, targets) = Create(name, batch, outputs, random);
        var x = FiniteDifference.RandomVector(random, batch * outputs);
        foreach (var weights in new[] { Array.Empty<float>(), FiniteDifference.RandomVector(random, batch, 0.2, 3) })
        {
            var analytic = new float[x.Length];
            var value = loss.LossAndGradient(x, targets, weights, batch, analytic);
            AssertClose.Scalar(loss.Loss(x, targets, weights, batch), value, rtol: 1e-5);
            var numeric = FiniteDifference.Gradient(p => loss.Loss(p, targets, weights, batch), x);
            FiniteDifference.AssertMatches(analytic, numeric, what: $"{name} {batch}×{outputs} weighted={weights.Length > 0}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EqualWeightsGiveTheUnweightedLoss(string name, int batch, int outputs)
    {
        var random = new Random((batch * 7) + outputs);
        var (loss, targets) = Create(name, batch, outputs, random);
        var x = FiniteDifference.RandomVector(random, batch * outputs);
        var weights = Enumerable.Repeat(0.7f, batch).ToArray();
        var plainGradient = new float[x.Length];
        var weightedGradient = new float[x.Length];

        var plain = loss.LossAndGradient(x, targets, default, batch, plainGradient);
        var weighted = loss.LossAndGradient(x, targets, weights, batch, weightedGradient);

        AssertClose.Scalar(plain, weighted, rtol: 1e-6);
        AssertClose.All(plainGradient, weightedGradient, rtol: 1e-5, atol: 1e-8);
        AssertClose.Scalar(plain * batch, loss.LossSum(x, targets, default, batch), rtol: 1e-6);
        AssertClose.Scalar(plain * batch * 0.7, loss.LossSum(x, targets, weights, batch), rtol: 1e-6);
    }

    [Theory]
    [InlineData("bce")]
    [InlineData("bce_ls")]
    [InlineData("mse")]
    [InlineData("huber")]
    public void ElementwiseLossesMatchAScalarReferenceForEveryLength(string name)
    {
        var random = new Random(name.Length);
        for (var n = 1; n <= 70; n++)
        {
            var (loss, targets) = Create(name, n, 1, random);
            var z = FiniteDifference.RandomVector(random, n, -4, 4);
            var weights = FiniteDifference.RandomVector(random, n, 0, 2);
            var gradient = new float[n];
            var value = loss.LossAndGradient(z, targets, weights, n, gradient);

            double weightSum = weights.Sum(w => (double)w), expected = 0;
            for (var i = 0; i < n; i++)
            {
                var (f, derivative) = ScalarReference(name, z[i], targets[i]);
                expected += weights[i] * f;
                AssertClose.Scalar(weights[i] * derivative / weightSum, gradient[i], rtol: 1e-5, atol: 1e-7, what: $"{name} n={n} gradient[{i}]");
            }

            AssertClose.Scalar(expected / weightSum, value, rtol: 1e-5, what: $"{name} n={n} loss");
        }
    }

    [Fact]
    public void WeightTwoCountsAnExampleTwice()
    {
        var random = new Random(9);
        var loss = new SoftmaxCrossEntropyLoss(4);
        var x = FiniteDifference.RandomVector(random, 8);
        float[] labels = [1, 3];
        var weighted = loss.Loss(x, labels, [2f, 1f], 2);
        var duplicated = loss.Loss([.. x[..4], .. x[..4], .. x[4..]], [1, 1, 3], default, 3);
        AssertClose.Scalar(duplicated, weighted, rtol: 1e-6);
    }

    [Fact]
    public void ExtremeLogitsStayFinite()
    {
        var softmax = new SoftmaxCrossEntropyLoss(3);
        var gradient = new float[6];
        var value = softmax.LossAndGradient([1000f, -1000f, 0f, 3e38f, -3e38f, 0f], [0f, 1f], default, 2, gradient);
        Assert.True(double.IsFinite(value));
        Assert.All(gradient, g => Assert.True(float.IsFinite(g)));
        AssertClose.Scalar(3e38, value, rtol: 1e-6);

        var bce = new SigmoidBinaryCrossEntropyLoss(1);
        var bceGradient = new float[4];
        var bceValue = bce.LossAndGradient([1000f, -1000f, 1000f, -1000f], [1f, 0f, 0f, 1f], default, 4, bceGradient);
        AssertClose.Scalar(500, bceValue, rtol: 1e-6);
        AssertClose.All([0f, 0f, 0.25f, -0.25f], bceGradient, atol: 1e-7);
    }

    [Fact]
    public void CountsCorrectPredictions()
    {
        var softmax = new SoftmaxCrossEntropyLoss(3);
        Assert.Equal(2, softmax.CountCorrect([0.1f, 2f, -1f, 5f, 0f, 0f, 0f, 0f, 1f], [1f, 1f, 2f], 3));
        var bce = new SigmoidBinaryCrossEntropyLoss(1);
        Assert.Equal(3, bce.CountCorrect([2f, -0.5f, 0.3f, -4f], [1f, 0f, 0f, 0f], 4));
    }

    [Fact]
    public void InvalidInputsAreRejected()
    {
        var softmax = new SoftmaxCrossEntropyLoss(3);
        var gradient = new float[6];
        Assert.Throws<ArgumentException>(() => softmax.LossAndGradient(new float[6], [0f, 3f], default, 2, gradient));
        Assert.Throws<ArgumentException>(() => softmax.LossAndGradient(new float[6], [0f, 1.5f], default, 2, gradient));
        Assert.Throws<ArgumentException>(() => softmax.LossAndGradient(new float[6], [0f, 1f], [1f, -1f], 2, gradient));
        Assert.Throws<ArgumentException>(() => softmax.LossAndGradient(new float[6], [0f, 1f], [0f, 0f], 2, gradient));
        Assert.Throws<ArgumentException>(() => softmax.LossAndGradient(new float[3], [0f, 1f], default, 2, gradient));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HuberLoss(1, 0f));
        Assert.Equal(0.0, softmax.LossSum(new float[6], [0f, 1f], [0f, 0f], 2));
    }

    [Fact]
    public void LossAndGradientDoNotAllocate()
    {
        var random = new Random(4);
        const int Batch = 64;
        var losses = new (LossFunction Loss, float[] Targets)[]
        {
            Create("softmax", Batch, 5, random),
            Create("softmax_ls", Batch, 5, random),
            Create("bce", Batch, 1, random),
            Create("bce_ls", Batch, 1, random),
            Create("mse", Batch, 3, random),
            Create("huber", Batch, 2, random),
        };
        var x = FiniteDifference.RandomVector(random, Batch * 5);
        var weights = FiniteDifference.RandomVector(random, Batch, 0.5, 1);
        var gradient = new float[Batch * 5];
        foreach (var (loss, targets) in losses)
        {
            loss.LossAndGradient(x, targets, weights, Batch, gradient);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var (loss, targets) in losses)
        {
            loss.LossAndGradient(x, targets, weights, Batch, gradient);
            loss.LossSum(x, targets, default, Batch);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static (double Loss, double Derivative) ScalarReference(string name, double z, double y)
    {
        switch (name)
        {
            case "bce":
            case "bce_ls":
                var p = 1 / (1 + Math.Exp(-z));
                y = name == "bce" ? y : (y * (1 - BinarySmoothing)) + (BinarySmoothing / 2);
                return (-(y * Math.Log(p)) - ((1 - y) * Math.Log(1 - p)), p - y);
            case "mse":
                return ((z - y) * (z - y), 2 * (z - y));
            default:
                var d = z - y;
                return Math.Abs(d) <= 0.8 ? (0.5 * d * d, d) : (0.8 * (Math.Abs(d) - 0.4), Math.Sign(d) * 0.8);
        }
    }

    /// <summary>The label smoothing of the "softmax_ls" and "bce_ls" cases.</summary>
    private const float SoftmaxSmoothing = 0.1f, BinarySmoothing = 0.3f;

    private static (LossFunction Loss, float[] Targets) Create(string name, int batch, int outputs, Random random) => name switch
    {
        "softmax" => (new SoftmaxCrossEntropyLoss(outputs), Enumerable.Range(0, batch).Select(_ => (float)random.Next(outputs)).ToArray()),
        "softmax_ls" => (new SoftmaxCrossEntropyLoss(outputs, SoftmaxSmoothing), Enumerable.Range(0, batch).Select(_ => (float)random.Next(outputs)).ToArray()),
        "bce" => (new SigmoidBinaryCrossEntropyLoss(outputs), Enumerable.Range(0, batch * outputs).Select(i => i % 3 == 2 ? (float)random.NextDouble() : random.Next(2)).ToArray()),
        "bce_ls" => (new SigmoidBinaryCrossEntropyLoss(outputs, BinarySmoothing), Enumerable.Range(0, batch * outputs).Select(i => i % 3 == 2 ? (float)random.NextDouble() : random.Next(2)).ToArray()),
        "mse" => (new MeanSquaredErrorLoss(outputs), FiniteDifference.RandomVector(random, batch * outputs)),
        "huber" => (new HuberLoss(outputs, 0.8f), FiniteDifference.RandomVector(random, batch * outputs)),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
