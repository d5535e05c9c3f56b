using System.Text.Json;
using MlNetDeep.GradientOptimizers;
using MlNetDeep.Training;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.GradientOptimizers;

public class OptimizerTests
{
    public static TheoryData<string> Cases => ["sgd", "sgd_momentum", "sgd_nesterov", "sgd_weight_decay", "adam", "adam_l2", "adamw", "rmsprop", "adagrad"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThreeStepsMatchPyTorch(string name)
    {
        var reference = ReferenceData.Load("optimizers");
        var parameters = reference.Floats("params_before");
        var steps = reference.Root.GetProperty("grads_per_step").EnumerateArray().Select(ReferenceData.ToFloats).ToArray();
        var testCase = reference.Root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("optimizer").GetString() == name);
        var hyper = testCase.GetProperty("hyperparameters");
        var (kind, options) = ToOptions(name, hyper);

        var optimizer = OptimizerFactory.Create(kind, options, parameters.Length, decayRanges: null);
        foreach (var gradients in steps)
        {
            optimizer.Step(parameters, gradients, options.LearningRate);
        }

        Assert.Equal(3, optimizer.StepCount);
        AssertClose.All(ReferenceData.ToFloats(testCase.GetProperty("params_after_3_steps")), parameters, rtol: 1e-5, atol: 1e-6, what: name);
    }

    [Theory]
    [InlineData("adam", Optimizer.Adam)]
    [InlineData("adamw", Optimizer.AdamW)]
    public void TheTrainerBuildsAdamWithTheDefaultBetasOfTheReference(string name, Optimizer kind)
    {
        // The reference uses PyTorch's betas (0.9, 0.999), which are the training settings' defaults.
        var reference = ReferenceData.Load("optimizers");
        var testCase = reference.Root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("optimizer").GetString() == name);
        var hyper = testCase.GetProperty("hyperparameters");
        Assert.Equal(hyper.GetProperty("betas")[0].GetDouble(), (double)new TrainingSettings().Beta1, 6);
        Assert.Equal(hyper.GetProperty("betas")[1].GetDouble(), (double)new TrainingSettings().Beta2, 6);
        var settings = new TrainingSettings
        {
            Optimizer = kind,
            LearningRate = (float)hyper.GetProperty("lr").GetDouble(),
            L2Regularization = hyper.TryGetProperty("weight_decay", out var decay) ? (float)decay.GetDouble() : 0f,
        };
        var parameters = reference.Floats("params_before");

        var optimizer = NetworkTrainer.CreateOptimizer(settings, parameters.Length, decayRanges: null);
        foreach (var gradients in reference.Root.GetProperty("grads_per_step").EnumerateArray().Select(ReferenceData.ToFloats))
        {
            optimizer.Step(parameters, gradients, settings.LearningRate);
        }

        AssertClose.All(ReferenceData.ToFloats(testCase.GetProperty("params_after_3_steps")), parameters, rtol: 1e-5, atol: 1e-6, what: name);
    }

    [Theory]
    [InlineData(Optimizer.Adam, 0.9f, 0.95f)]
    [InlineData(Optimizer.AdamW, 0.9f, 0.95f)]
    [InlineData(Optimizer.Adam, 0.5f, 0.98f)]
    [InlineData(Optimizer.AdamW, 0f, 0f)]
    public void TheTrainersBetasDriveAdamAsDefined(Optimizer kind, float beta1, float beta2)
    {
        // Three steps from the training settings against Adam's definition (Kingma and Ba, bias-corrected; AdamW
        // shrinks the parameter by lr·wd first) evaluated here in float64 with the same float32 hyperparameters.
        var reference = ReferenceData.Load("optimizers");
        var start = reference.Floats("params_before");
        var steps = reference.Root.GetProperty("grads_per_step").EnumerateArray().Select(ReferenceData.ToFloats).ToArray();
        const float LearningRate = 0.01f, WeightDecay = 0.01f;
        var settings = new TrainingSettings { Optimizer = kind, LearningRate = LearningRate, L2Regularization = WeightDecay, Beta1 = beta1, Beta2 = beta2 };

        var parameters = (float[])start.Clone();
        var optimizer = (AdamOptimizer)NetworkTrainer.CreateOptimizer(settings, parameters.Length, decayRanges: null);
        foreach (var gradients in steps)
        {
            optimizer.Step(parameters, gradients, LearningRate);
        }

        Assert.Equal((beta1, beta2), (optimizer.Beta1, optimizer.Beta2));
        double b1 = beta1, b2 = beta2, lr = LearningRate, wd = WeightDecay, epsilon = 1e-8;
        var expected = new float[start.Length];
        for (var i = 0; i < start.Length; i++)
        {
            double p = start[i], m = 0, v = 0;
            for (var t = 1; t <= steps.Length; t++)
            {
                var g = (double)steps[t - 1][i];
                if (kind == Optimizer.AdamW)
                {
                    p -= lr * wd * p;
                }
                else
                {
                    g += wd * p;
                }

                m = (b1 * m) + ((1 - b1) * g);
                v = (b2 * v) + ((1 - b2) * g * g);
                var mHat = m / (1 - Math.Pow(b1, t));
                var vHat = v / (1 - Math.Pow(b2, t));
                p -= lr * mHat / (Math.Sqrt(vHat) + epsilon);
            }

            expected[i] = (float)p;
        }

        AssertClose.All(expected, parameters, rtol: 1e-5, atol: 1e-6, what: $"{kind} betas ({beta1}, {beta2})");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void VectorBodyAgreesWithScalarTail(string name)
    {
        // Full vectors of every width plus tails; each element must follow the scalar rule exactly as if it were
        // stepped alone (a one-element storage only ever runs the scalar path).
        var reference = ReferenceData.Load("optimizers");
        var hyper = reference.Root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("optimizer").GetString() == name).GetProperty("hyperparameters");
        var (kind, options) = ToOptions(name, hyper);
        var random = new Random(11);
        foreach (var length in new[] { 1, 3, 4, 8, 15, 16, 17, 33, 37, 64 })
        {
            var parameters = FiniteDifference.RandomVector(random, length);
            var singles = (float[])parameters.Clone();
            var optimizer = OptimizerFactory.Create(kind, options, length, null);
            var scalarOptimizers = Enumerable.Range(0, length).Select(_ => OptimizerFactory.Create(kind, options, 1, null)).ToArray();
            for (var step = 0; step < 3; step++)
            {
                var gradients = FiniteDifference.RandomVector(random, length);
                optimizer.Step(parameters, gradients, options.LearningRate);
                for (var i = 0; i < length; i++)
                {
                    scalarOptimizers[i].Step(singles.AsSpan(i, 1), gradients.AsSpan(i, 1), options.LearningRate);
                }
            }

            AssertClose.All(singles, parameters, rtol: 1e-5, atol: 1e-6, what: $"{name} length {length}");
        }
    }

    [Theory]
    [InlineData(Optimizer.SGD)]
    [InlineData(Optimizer.Adam)]
    [InlineData(Optimizer.AdamW)]
    [InlineData(Optimizer.RMSProp)]
    [InlineData(Optimizer.Adagrad)]
    public void DecayMaskExcludesRanges(Optimizer kind)
    {
        // Parameters [0, 20) and [30, 33) are decayed; [20, 30) and [33, 40) are not. The decayed ranges must move
        // as an optimizer with decay, the others exactly as one without.
        const int N = 40;
        var random = new Random(5);
        var start = FiniteDifference.RandomVector(random, N);
        var gradients = FiniteDifference.RandomVector(random, N);
        var withDecay = new OptimizerOptions { Momentum = kind == Optimizer.SGD ? 0.9f : 0f, WeightDecay = 0.1f, LearningRate = 0.05f };
        var without = new OptimizerOptions { Momentum = withDecay.Momentum, WeightDecay = 0f, LearningRate = 0.05f };

        var masked = (float[])start.Clone();
        var all = (float[])start.Clone();
        var none = (float[])start.Clone();
        var maskedOptimizer = OptimizerFactory.Create(kind, withDecay, N, [(30, 3), (0, 20)]);
        var allOptimizer = OptimizerFactory.Create(kind, withDecay, N, null);
        var noneOptimizer = OptimizerFactory.Create(kind, without, N, null);
        for (var step = 0; step < 2; step++)
        {
            maskedOptimizer.Step(masked, gradients, 0.05f);
            allOptimizer.Step(all, gradients, 0.05f);
            noneOptimizer.Step(none, gradients, 0.05f);
        }

        for (var i = 0; i < N; i++)
        {
            var decayed = i < 20 || (i >= 30 && i < 33);
            Assert.Equal(decayed ? all[i] : none[i], masked[i], 6);
            Assert.NotEqual(all[i], none[i]);
        }
    }

    [Fact]
    public void DecayRangesAreValidated()
    {
        Assert.Throws<ArgumentException>(() => new SgdOptimizer(10, weightDecay: 0.1f, decayRanges: [(0, 5), (4, 2)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer(10, weightDecay: 0.1f, decayRanges: [(8, 3)]));
        Assert.Throws<ArgumentException>(() => new SgdOptimizer(4).Step(new float[3], new float[3], 0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer(4, beta1: 1f));
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamWOptimizer(4, beta2: -0.1f)).ParamName);
        Assert.Throws<ArgumentException>(() => new SgdOptimizer(4, momentum: 0f, nesterov: true));
    }

    [Fact]
    public void StateRoundTripContinuesIdentically()
    {
        const int N = 21;
        var random = new Random(3);
        var parameters = FiniteDifference.RandomVector(random, N);
        var grads = Enumerable.Range(0, 4).Select(_ => FiniteDifference.RandomVector(random, N)).ToArray();
        var options = new OptimizerOptions { WeightDecay = 0.01f };
        var first = OptimizerFactory.Create(Optimizer.Adam, options, N, null);
        first.Step(parameters, grads[0], 0.01f);
        first.Step(parameters, grads[1], 0.01f);

        Assert.Equal(["exp_avg", "exp_avg_sq"], first.StateNames);
        var saved = first.State.Select(a => (float[])a.Clone()).ToArray();
        var second = OptimizerFactory.Create(Optimizer.Adam, options, N, null);
        second.RestoreState(saved, first.StepCount);
        var copy = (float[])parameters.Clone();
        for (var s = 2; s < 4; s++)
        {
            first.Step(parameters, grads[s], 0.01f);
            second.Step(copy, grads[s], 0.01f);
        }

        Assert.Equal(parameters, copy);
        Assert.Equal(4, second.StepCount);
        Assert.Throws<ArgumentException>(() => second.RestoreState([new float[N]], 1));
        Assert.Throws<ArgumentException>(() => second.RestoreState([new float[N], new float[N - 1]], 1));

        second.Reset();
        Assert.Equal(0, second.StepCount);
        Assert.All(second.State, a => Assert.All(a, v => Assert.Equal(0f, v)));
    }

    [Fact]
    public void StateArraysAndDefaultsMatchEachRule()
    {
        var options = new OptimizerOptions();
        Assert.Empty(OptimizerFactory.Create(Optimizer.SGD, options, 5, null).State);
        Assert.Single(OptimizerFactory.Create(Optimizer.SGD, new OptimizerOptions { Momentum = 0.9f }, 5, null).State);
        Assert.Equal(2, OptimizerFactory.Create(Optimizer.AdamW, options, 5, null).State.Count);
        var rms = (RmsPropOptimizer)OptimizerFactory.Create(Optimizer.RMSProp, options, 5, null);
        Assert.Equal(0.99f, rms.Alpha);
        Assert.Equal(1e-8f, rms.Epsilon);
        var adagrad = (AdagradOptimizer)OptimizerFactory.Create(Optimizer.Adagrad, options, 5, null);
        Assert.Equal(1e-10f, adagrad.Epsilon);
        Assert.Equal(Optimizer.Adagrad, adagrad.Kind);
        Assert.All(adagrad.State[0], v => Assert.Equal(0f, v));
        Assert.Equal(5, adagrad.State[0].Length);
    }

    [Fact]
    public void StepDoesNotAllocate()
    {
        const int N = 1000;
        var parameters = new float[N];
        var gradients = FiniteDifference.RandomVector(new Random(1), N);
        var optimizer = OptimizerFactory.Create(Optimizer.AdamW, new OptimizerOptions { WeightDecay = 0.01f }, N, [(0, 500), (700, 100)]);
        optimizer.Step(parameters, gradients, 0.001f);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            optimizer.Step(parameters, gradients, 0.001f);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static (Optimizer Kind, OptimizerOptions Options) ToOptions(string name, JsonElement hyper)
    {
        var options = new OptimizerOptions { LearningRate = (float)hyper.GetProperty("lr").GetDouble() };
        if (hyper.TryGetProperty("momentum", out var momentum))
        {
            options.Momentum = (float)momentum.GetDouble();
        }

        if (hyper.TryGetProperty("nesterov", out var nesterov))
        {
            options.Nesterov = nesterov.GetBoolean();
        }

        if (hyper.TryGetProperty("weight_decay", out var decay))
        {
            options.WeightDecay = (float)decay.GetDouble();
        }

        if (hyper.TryGetProperty("betas", out var betas))
        {
            options.Beta1 = (float)betas[0].GetDouble();
            options.Beta2 = (float)betas[1].GetDouble();
        }

        if (hyper.TryGetProperty("eps", out var eps))
        {
            options.Epsilon = (float)eps.GetDouble();
        }

        if (hyper.TryGetProperty("alpha", out var alpha))
        {
            options.RmsPropAlpha = (float)alpha.GetDouble();
        }

        var kind = name switch
        {
            "adam" or "adam_l2" => Optimizer.Adam,
            "adamw" => Optimizer.AdamW,
            "rmsprop" => Optimizer.RMSProp,
            "adagrad" => Optimizer.Adagrad,
            _ => Optimizer.SGD,
        };
        return (kind, options);
    }

    [Theory]
    [InlineData(Optimizer.SGD)]
    [InlineData(Optimizer.Adam)]
    [InlineData(Optimizer.AdamW)]
    [InlineData(Optimizer.RMSProp)]
    [InlineData(Optimizer.Adagrad)]
    public void TwoThreadsGiveTheSameStepsAsOne(Optimizer kind)
    {
        // Long enough for several chunks, with decayed and undecayed ranges crossing chunk borders.
        const int Count = 150_001;
        var random = new Random(9);
        var start = Enumerable.Range(0, Count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var gradients = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, Count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
        (int, int)[] decayed = [(10, 70_000), (100_000, 33_333)];
        float[] Run(int threads)
        {
            var optimizer = OptimizerFactory.Create(kind, new OptimizerOptions { WeightDecay = 0.01f, Momentum = 0.9f }, Count, decayed);
            optimizer.Threads = threads;
            var parameters = (float[])start.Clone();
            foreach (var g in gradients)
            {
                optimizer.Step(parameters, g, 0.01f);
            }

            return parameters;
        }

        var one = Run(1);
        Assert.NotEqual(start, one);
        Assert.Equal(one, Run(2));
    }
}
