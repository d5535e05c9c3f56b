using MlNetDeep.Tuning;
using Xunit;

namespace MlNetDeep.Tests.Tuning;

public class SearchSpaceTests
{
    private static SearchSpace ConditionalSpace() => new SearchSpace()
        .AddFloat("learningRate", 1e-4, 1e-1, logScale: true)
        .AddChoice("dropout", "off", "on")
        .AddFloat("dropoutRate", 0.05, 0.5).When("dropout", "on")
        .AddChoice("schedule", "constant", "cosine", "step").When("dropout", "on")
        .AddInt("stepSize", 1, 50).When("schedule", "step");

    [Fact]
    public void ValidationErrorsNameTheParameterAndTheValueReceived()
    {
        AssertMessage(() => new SearchSpace().AddFloat("lr", 0, 1e-1, logScale: true), "'lr'", "lower=0");
        AssertMessage(() => new SearchSpace().AddFloat("rate", 0.5, 0.1), "'rate'", "lower=0.5", "upper=0.1");
        AssertMessage(() => new SearchSpace().AddFloat("rate", 0, double.NaN), "'rate'", "upper=NaN");
        AssertMessage(() => new SearchSpace().AddInt("units", 0, 512, logScale: true), "'units'", "lower=0");
        AssertMessage(() => new SearchSpace().AddInt("units", 8, 4), "'units'", "lower=8", "upper=4");
        AssertMessage(() => new SearchSpace().AddChoice("act"), "'act'", "no values");
        AssertMessage(() => new SearchSpace().AddChoice("act", "ReLU", "ReLU"), "'act'", "'ReLU'");
        AssertMessage(() => new SearchSpace().AddInt("units", 1, 4).AddInt("units", 1, 4), "'units'");
        AssertMessage(() => new SearchSpace().AddChoice("dropout", "off", "on").AddFloat("rate", 0, 1).When("dropout", "yes"), "'rate'", "'yes'", "dropout");
        AssertMessage(() => new SearchSpace().AddInt("units", 1, 4).AddFloat("rate", 0, 1).When("units", "4"), "'rate'", "'units'", "Int");
        AssertMessage(() => new SearchSpace().AddFloat("rate", 0, 1).When("missing", "on"), "'rate'", "'missing'");
        Assert.Throws<InvalidOperationException>(() => new SearchSpace().When("dropout", "on"));
        AssertMessage(() => new BayesianOptimizer(TestFunctions.BraninSpace(), 0, new BayesianOptimizer.Options { CandidateCount = 0 }), "CandidateCount=0");
        AssertMessage(() => new RandomSearchOptimizer(TestFunctions.BraninSpace(), 0).Minimize(_ => 0, 0), "maxTrials=0");
    }

    [Fact]
    public void ConditionalParametersAppearOnlyWhenTheirConditionHolds()
    {
        var space = ConditionalSpace();
        var optimizer = new RandomSearchOptimizer(space, 3);
        int withDropout = 0, withStep = 0;
        foreach (var set in optimizer.Propose(400))
        {
            var dropoutOn = set.GetString("dropout") == "on";
            Assert.Equal(dropoutOn, set.Contains("dropoutRate"));
            Assert.Equal(dropoutOn, set.Contains("schedule"));
            var step = dropoutOn && set.GetString("schedule") == "step";
            Assert.Equal(step, set.Contains("stepSize"));
            Assert.Equal(2 + (dropoutOn ? 2 : 0) + (step ? 1 : 0), set.Count);
            withDropout += dropoutOn ? 1 : 0;
            withStep += step ? 1 : 0;
            space.Validate(set);
        }

        Assert.InRange(withDropout, 160, 240);
        Assert.InRange(withStep, 40, 100);

        // The Bayesian optimizer proposes only valid sets as well, through its design and its surrogate phase.
        var bayes = new BayesianOptimizer(space, 5).Minimize(
            p => Math.Abs(Math.Log10(p.GetDouble("learningRate")) + 2) + (p.TryGet("dropoutRate", out var rate) ? Math.Abs((double)rate! - 0.2) : 0.5),
            maxTrials: 12);
        foreach (var trial in bayes.Trials)
        {
            space.Validate(trial.Parameters);
            Assert.Equal(trial.Parameters.GetString("dropout") == "on", trial.Parameters.Contains("dropoutRate"));
        }
    }

    [Fact]
    public void ValidateRejectsSetsThatBreakTheConditions()
    {
        var space = ConditionalSpace();
        var valid = space.Decode([0.5, 0.9, 0.5, 0.9, 0.5]);
        Assert.Equal("on", valid.GetString("dropout"));
        Assert.Equal("step", valid.GetString("schedule"));
        space.Validate(valid);

        var otherSpace = new SearchSpace().AddFloat("learningRate", 1e-4, 1e-1, logScale: true).AddChoice("dropout", "off", "on");
        var dropoutOff = otherSpace.Decode([0.5, 0.1]);
        space.Validate(dropoutOff);
        var missing = otherSpace.Decode([0.5, 0.9]);
        var error = Assert.Throws<ArgumentException>(() => space.Validate(missing));
        Assert.Contains("'dropoutRate'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new RandomSearchOptimizer(space, 0).Tell(missing, 1));
    }

    [Fact]
    public void LogScaleFloatIsUniformInLogSpace()
    {
        var space = new SearchSpace().AddFloat("lr", 1e-5, 1e-1, logScale: true).AddFloat("linear", 1e-5, 1e-1);
        var counts = new int[4];
        var linearBelowTenth = 0;
        const int N = 8000;
        foreach (var set in new RandomSearchOptimizer(space, 11).Propose(N))
        {
            var lr = set.GetDouble("lr");
            Assert.InRange(lr, 1e-5, 1e-1);
            counts[Math.Min(3, (int)Math.Floor(Math.Log10(lr) + 5))]++;
            linearBelowTenth += set.GetDouble("linear") < 1e-2 ? 1 : 0;
        }

        // One quarter per decade (binomial σ ≈ 0.005); the linear range puts only ~10% below 1e-2.
        foreach (var count in counts)
        {
            Assert.InRange(count / (double)N, 0.23, 0.27);
        }

        Assert.InRange(linearBelowTenth / (double)N, 0.085, 0.115);
    }

    [Fact]
    public void LogScaleIntGivesEachIntegerItsShareOfLogSpace()
    {
        // Values are the range [lower − ½, upper + ½] sampled in log space and rounded, so integer k has
        // probability log((k + ½)/(k − ½)) / log((upper + ½)/(lower − ½)).
        var space = new SearchSpace().AddInt("units", 1, 1000, logScale: true).AddInt("small", 1, 4);
        const int N = 8000;
        var units = new List<int>(N);
        var small = new int[5];
        foreach (var set in new RandomSearchOptimizer(space, 12).Propose(N))
        {
            units.Add(set.GetInt("units"));
            small[set.GetInt("small")]++;
        }

        var total = Math.Log(1000.5 / 0.5);
        Assert.InRange(units.Count(u => u == 1) / (double)N, (Math.Log(3) / total) - 0.02, (Math.Log(3) / total) + 0.02);
        Assert.InRange(units.Count(u => u <= 31) / (double)N, (Math.Log(63) / total) - 0.02, (Math.Log(63) / total) + 0.02);
        Assert.InRange(units.Count(u => u >= 100) / (double)N, (Math.Log(1000.5 / 99.5) / total) - 0.02, (Math.Log(1000.5 / 99.5) / total) + 0.02);
        Assert.Equal(1, units.Min());
        Assert.InRange(units.Max(), 950, 1000);
        Assert.Equal(0, small[0]);
        for (var k = 1; k <= 4; k++)
        {
            Assert.InRange(small[k] / (double)N, 0.23, 0.27);
        }
    }

    [Fact]
    public void EncodingMapsToTheUnitCubeWithLogScalesAndOneHotChoices()
    {
        var space = new SearchSpace()
            .AddFloat("learningRate", 1e-4, 1e-1, logScale: true)
            .AddInt("units", 16, 512, logScale: true)
            .AddChoice("activation", "ReLU", "GELU", "SELU")
            .AddChoice("dropout", "off", "on")
            .AddFloat("dropoutRate", 0.1, 0.5).When("dropout", "on");
        Assert.Equal(1 + 1 + 3 + 2 + 1, space.FeatureCount);

        var unit = new double[space.Count];
        var set = space.Decode([1.0 / 3, 0.5, 0.5, 0.75, 0.25]);
        Assert.Equal("GELU", set.GetString("activation"));
        AssertClose(1e-3, set.GetDouble("learningRate"), 1e-12);
        Assert.Equal((int)Math.Round(Math.Sqrt(15.5 * 512.5)), set.GetInt("units"));
        AssertClose(0.2, set.GetDouble("dropoutRate"), 1e-12);

        var features = new double[space.FeatureCount];
        space.Encode(set, features);
        AssertClose(1.0 / 3, features[0], 1e-12);
        Assert.Equal([0.0, 1, 0, 0, 1], features[2..7]);
        AssertClose(0.25, features[7], 1e-12);

        var off = space.Decode([0.0, 0, 0, 0.25, 0.9]);
        Assert.False(off.Contains("dropoutRate"));
        space.Encode(off, features);
        Assert.Equal(0.0, features[0]);
        AssertClose((Math.Log(16) - Math.Log(15.5)) / (Math.Log(512.5) - Math.Log(15.5)), features[1], 1e-12);
        Assert.Equal([1.0, 0, 0, 1, 0, 0], features[2..]);

        // Decoding the centre of each value's cell gives the value back.
        foreach (var sample in new RandomSearchOptimizer(space, 1).Propose(200))
        {
            space.ToUnit(sample, unit);
            Assert.Equal(sample, space.Decode(unit));
        }
    }

    [Fact]
    public void FastFeaturePathMatchesEncodingTheDecodedSet()
    {
        var space = ConditionalSpace().AddInt("units", 4, 300, logScale: true);
        var random = new MlNetDeep.Compute.RandomGenerator(21);
        var unit = new double[space.Count];
        var direct = new double[space.FeatureCount];
        var fast = new double[space.FeatureCount];
        var choices = new int[space.Count];
        for (var sample = 0; sample < 300; sample++)
        {
            for (var i = 0; i < unit.Length; i++)
            {
                unit[i] = random.NextDouble();
            }

            space.Encode(space.Decode(unit), direct);
            space.UnitToFeatures(unit, fast, choices);
            Assert.Equal(direct, fast);
        }
    }

    [Fact]
    public void CreateParameterSetChecksEveryValue()
    {
        var space = ConditionalSpace();
        var set = space.CreateParameterSet(new Dictionary<string, object> { ["learningRate"] = 0.01, ["dropout"] = "on", ["dropoutRate"] = 0.2, ["schedule"] = "cosine" });
        Assert.Equal("learningRate=0.01, dropout=on, dropoutRate=0.2, schedule=cosine", set.ToString());
        Assert.Equal(0.5, space.CreateParameterSet(new Dictionary<string, object> { ["learningRate"] = 0.01, ["dropout"] = "on", ["dropoutRate"] = 0.5f, ["schedule"] = "constant" }).GetDouble("dropoutRate"));

        AssertMessage(() => space.CreateParameterSet(new Dictionary<string, object> { ["learningRate"] = 0.5, ["dropout"] = "off" }), "'learningRate'", "0.5");
        AssertMessage(() => space.CreateParameterSet(new Dictionary<string, object> { ["learningRate"] = 0.01, ["dropout"] = "on" }), "'dropoutRate'", "missing");
        AssertMessage(() => space.CreateParameterSet(new Dictionary<string, object> { ["learningRate"] = 0.01, ["dropout"] = "off", ["stepSize"] = 3 }), "'stepSize'", "inactive");
        AssertMessage(() => space.CreateParameterSet(new Dictionary<string, object> { ["learningRate"] = 0.01, ["dropout"] = "off", ["momentum"] = 0.9 }), "'momentum'");
        AssertMessage(() => space.CreateParameterSet(new Dictionary<string, object> { ["learningRate"] = 0.01, ["dropout"] = "maybe" }), "'dropout'", "maybe");
    }

    [Fact]
    public void ToStringListsEveryParameter()
    {
        var text = ConditionalSpace().ToString();
        Assert.Contains("learningRate: float [0.0001, 0.1] log", text, StringComparison.Ordinal);
        Assert.Contains("dropout: choice {off, on}", text, StringComparison.Ordinal);
        Assert.Contains("dropoutRate: float [0.05, 0.5] when dropout ∈ {on}", text, StringComparison.Ordinal);
        Assert.Contains("stepSize: int [1, 50] when schedule ∈ {step}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutRemovesTheNamedParametersAndThoseConditionedOnThem()
    {
        var space = ConditionalSpace();

        // stepSize depends on dropout through schedule, so removing dropout removes all three of its dependants.
        var withoutDropout = space.Without("dropout");
        Assert.Equal(["learningRate"], withoutDropout.Parameters.Select(p => p.Name));
        Assert.Equal(1, withoutDropout.FeatureCount);

        var withoutSchedule = space.Without("schedule");
        Assert.Equal(["learningRate", "dropout", "dropoutRate"], withoutSchedule.Parameters.Select(p => p.Name));
        Assert.Equal("dropoutRate: float [0.05, 0.5] when dropout ∈ {on}", withoutSchedule["dropoutRate"].ToString());
        Assert.Equal(1 + 2 + 1, withoutSchedule.FeatureCount);
        foreach (var set in new RandomSearchOptimizer(withoutSchedule, 4).Propose(20))
        {
            withoutSchedule.Validate(set);
        }

        Assert.Equal(5, space.Count);
        Assert.Equal(space.ToString(), space.Without().ToString());
        Assert.Throws<KeyNotFoundException>(() => space.Without("momentum"));
    }

    private static void AssertMessage(Action action, params string[] fragments)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(action);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, exception.Message, StringComparison.Ordinal);
        }
    }

    private static void AssertClose(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R}");
}
