using MlNetDeep.Tuning;
using Xunit;
using Xunit.Abstractions;

namespace MlNetDeep.Tests.Tuning;

/// <summary>The search loop and the ask/tell API, for both optimizers through their common base class.</summary>
public class HyperparameterOptimizerTests(ITestOutputHelper output)
{
    public static TheoryData<string> Kinds => ["bayes", "random"];

    private static HyperparameterOptimizer Create(string kind, SearchSpace space, int seed) =>
        kind == "bayes" ? new BayesianOptimizer(space, seed) : new RandomSearchOptimizer(space, seed);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SameSeedGivesSameTrials(string kind)
    {
        var first = Create(kind, TestFunctions.MixedSpace(), 7).Minimize(TestFunctions.MixedTrue, 12);
        var second = Create(kind, TestFunctions.MixedSpace(), 7).Minimize(TestFunctions.MixedTrue, 12);
        var optimizer = Create(kind, TestFunctions.MixedSpace(), 7);
        var third = optimizer.Minimize(TestFunctions.MixedTrue, 12);
        var rerun = optimizer.Minimize(TestFunctions.MixedTrue, 12);
        var other = Create(kind, TestFunctions.MixedSpace(), 8).Minimize(TestFunctions.MixedTrue, 12);

        Assert.Equal(first.Trials.Select(t => t.Parameters), second.Trials.Select(t => t.Parameters));
        Assert.Equal(first.Trials.Select(t => t.Value), second.Trials.Select(t => t.Value));
        Assert.Equal(first.Trials.Select(t => t.Parameters), third.Trials.Select(t => t.Parameters));
        Assert.Equal(first.Trials.Select(t => t.Parameters), rerun.Trials.Select(t => t.Parameters));
        Assert.NotEqual(first.Trials.Select(t => t.Parameters), other.Trials.Select(t => t.Parameters));
        Assert.Equal(first.BestParameters, second.BestParameters);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void FailingTrialsAreRecordedAndTheSearchContinues(string kind)
    {
        var calls = 0;
        var result = Create(kind, TestFunctions.BraninSpace(), 2).Minimize(
            p =>
            {
                calls++;
                return calls % 4 == 1 ? throw new InvalidOperationException($"diverged at call {calls}")
                    : calls % 4 == 2 ? double.NaN
                    : calls % 8 == 3 ? double.PositiveInfinity
                    : TestFunctions.Branin(p);
            },
            maxTrials: 20);

        Assert.Equal(20, calls);
        Assert.Equal(20, result.Trials.Count);
        Assert.Equal(StopReason.TrialBudget, result.StopReason);
        Assert.Equal(Enumerable.Range(0, 20), result.Trials.Select(t => t.Index));
        Assert.Equal("InvalidOperationException: diverged at call 1", result.Trials[0].Failure);
        Assert.True(double.IsNaN(result.Trials[0].Value));
        Assert.Equal("The objective returned NaN.", result.Trials[1].Failure);
        Assert.Equal("The objective returned Infinity.", result.Trials[2].Failure);
        Assert.Null(result.Trials[3].Failure);
        Assert.Equal(13, result.Trials.Count(t => !t.Succeeded));
        var successes = result.Trials.Where(t => t.Succeeded).ToList();
        Assert.Equal(successes.Min(t => t.Value), result.BestValue);
        Assert.Equal(successes.MinBy(t => t.Value)!.Parameters, result.BestParameters);
        Assert.Equal(20, result.Trials.Select(t => t.Parameters).Distinct().Count());
    }

    [Fact]
    public void AllTrialsFailingGivesNoBest()
    {
        var result = new BayesianOptimizer(TestFunctions.BraninSpace(), 0).Minimize(_ => throw new ArithmeticException("boom"), 8);
        Assert.Equal(8, result.Trials.Count);
        Assert.All(result.Trials, t => Assert.Equal("ArithmeticException: boom", t.Failure));
        Assert.Null(result.BestParameters);
        Assert.True(double.IsNaN(result.BestValue));
    }

    [Fact]
    public void TimeBudgetStopsTheSearch()
    {
        var result = new BayesianOptimizer(TestFunctions.BraninSpace(), 0).Minimize(
            p =>
            {
                Thread.Sleep(15);
                return TestFunctions.Branin(p);
            },
            maxTrials: 1000,
            maxDuration: TimeSpan.FromMilliseconds(150));
        Assert.Equal(StopReason.TimeBudget, result.StopReason);
        Assert.InRange(result.Trials.Count, 1, 11);
        Assert.All(result.Trials, t => Assert.True(t.Duration >= TimeSpan.FromMilliseconds(14), $"duration {t.Duration}"));
        Assert.True(result.Elapsed >= TimeSpan.FromMilliseconds(150));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void CancellationStopsTheSearchAndProgressSeesEveryTrial(string kind)
    {
        using var cancellation = new CancellationTokenSource();
        var seen = new List<Trial>();
        var result = Create(kind, TestFunctions.BraninSpace(), 1).Minimize(
            TestFunctions.Branin,
            maxTrials: 50,
            progress: trial =>
            {
                seen.Add(trial);
                if (seen.Count == 6)
                {
                    cancellation.Cancel();
                }
            },
            cancellationToken: cancellation.Token);
        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.Equal(6, result.Trials.Count);
        Assert.Equal(result.Trials, seen);

        var cancelled = Create(kind, TestFunctions.BraninSpace(), 1).Minimize(TestFunctions.Branin, 5, cancellationToken: cancellation.Token);
        Assert.Empty(cancelled.Trials);
        Assert.Null(cancelled.BestParameters);
    }

    [Fact]
    public void MaximizeFindsTheMaximumAndReportsOriginalValues()
    {
        var result = new BayesianOptimizer(TestFunctions.BraninSpace(), 3).Maximize(p => -TestFunctions.Branin(p), 25);
        Assert.Equal(result.Trials.Max(t => t.Value), result.BestValue);
        Assert.True(result.BestValue > -TestFunctions.BraninMinimum - 0.1, $"best {result.BestValue:G6}");
        Assert.Equal(-TestFunctions.Branin(result.BestParameters!), result.BestValue);
    }

    [Fact]
    public void BatchProposalsAreDistinctAndAskTellConverges()
    {
        var optimizer = new BayesianOptimizer(TestFunctions.BraninSpace(), 4);
        Assert.Equal(5, optimizer.InitialTrialCount);
        var best = double.PositiveInfinity;
        for (var round = 0; round < 8; round++)
        {
            var batch = optimizer.Propose(3);
            Assert.Equal(3, batch.Count);
            Assert.Equal(3, optimizer.Pending.Count);
            Assert.Equal(3, batch.Distinct().Count());

            // Results arrive in reverse order, as from parallel workers.
            foreach (var parameters in batch.Reverse())
            {
                var value = TestFunctions.Branin(parameters);
                best = Math.Min(best, value);
                optimizer.Tell(parameters, value);
            }

            Assert.Empty(optimizer.Pending);
        }

        Assert.Equal(24, optimizer.ObservationCount);
        output.WriteLine($"ask/tell, 8 batches of 3: Branin regret {best - TestFunctions.BraninMinimum:G4}");
        Assert.True(best - TestFunctions.BraninMinimum < 0.3, $"regret {best - TestFunctions.BraninMinimum:G4}");
    }

    [Fact]
    public void BatchProposalsAreDeterministicPerSeed()
    {
        var first = Run(5);
        var second = Run(5);
        var other = Run(6);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(24, first.Count);
        Assert.Equal(24, first.Distinct().Count());

        // Four batches of 6 spanning the initial design and the model-based searches, told in reverse order.
        static List<ParameterSet> Run(int seed)
        {
            var optimizer = new BayesianOptimizer(TestFunctions.BraninSpace(), seed);
            var proposed = new List<ParameterSet>();
            for (var round = 0; round < 4; round++)
            {
                var batch = optimizer.Propose(6);
                proposed.AddRange(batch);
                foreach (var parameters in batch.Reverse())
                {
                    optimizer.Tell(parameters, TestFunctions.Branin(parameters));
                }
            }

            return proposed;
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void PendingPointsAreNotProposedAgain(string kind)
    {
        // Asynchronous workers: new proposals are asked for while earlier ones are still running.
        var optimizer = Create(kind, TestFunctions.BraninSpace(), 3);
        var running = new List<ParameterSet>(optimizer.Propose(3));
        var all = new List<ParameterSet>(running);
        for (var step = 0; step < 12; step++)
        {
            // The oldest trial finishes; one new one and, every third step, two are asked for.
            var done = running[0];
            running.RemoveAt(0);
            optimizer.Tell(done, TestFunctions.Branin(done));
            Assert.Equal(running, optimizer.Pending);
            var fresh = optimizer.Propose(step % 3 == 2 ? 2 : 1);
            Assert.All(fresh, p => Assert.DoesNotContain(p, all));
            running.AddRange(fresh);
            all.AddRange(fresh);
            Assert.Equal(running, optimizer.Pending);
        }

        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(12, optimizer.ObservationCount);
    }

    [Fact]
    public void BatchesOfTwoReachNearlyTheRegretOfSequentialTrials()
    {
        const int Seeds = 4;
        double sequential = 0, batched = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            var result = new BayesianOptimizer(TestFunctions.BraninSpace(), seed).Minimize(TestFunctions.Branin, 30);
            sequential += (result.BestValue - TestFunctions.BraninMinimum) / Seeds;

            // 15 steps of 2 parallel trials, both told before the next step.
            var optimizer = new BayesianOptimizer(TestFunctions.BraninSpace(), seed);
            var best = double.PositiveInfinity;
            for (var step = 0; step < 15; step++)
            {
                var batch = optimizer.Propose(2);
                Assert.NotEqual(batch[0], batch[1]);
                foreach (var parameters in batch)
                {
                    var value = TestFunctions.Branin(parameters);
                    best = Math.Min(best, value);
                    optimizer.Tell(parameters, value);
                }
            }

            batched += (best - TestFunctions.BraninMinimum) / Seeds;
        }

        output.WriteLine($"Branin mean regret over {Seeds} seeds: 30 sequential trials {sequential:G4}, 15 batches of 2 {batched:G4}");
        Assert.True(sequential < 0.02, $"sequential regret {sequential:G4}");
        Assert.True(batched < 0.05 && batched < sequential + 0.03, $"batched regret {batched:G4}, sequential {sequential:G4}");
    }

    [Theory]
    [InlineData(TrialPruning.Median)]
    [InlineData(TrialPruning.SuccessiveHalving)]
    public void PrunedTrialsStopEarlyAndNeverBecomeTheBest(TrialPruning pruning)
    {
        // A learning curve per trial whose final loss is Branin's value; the returned (test) loss is higher than any
        // validation loss reported along the way, so pruned trials report values below every completed result.
        var epochs = new List<int>();
        var result = new BayesianOptimizer(TestFunctions.BraninSpace(), 1).Minimize(
            (parameters, reporter) =>
            {
                var final = TestFunctions.Branin(parameters);
                for (var step = 1; step <= LearningCurves.Epochs; step++)
                {
                    if (reporter.Report(step, LearningCurves.Loss(final, step)))
                    {
                        epochs.Add(step);
                        return double.NaN;
                    }
                }

                epochs.Add(LearningCurves.Epochs);
                return final + 100;
            },
            TrialPruner.Create(pruning),
            maxTrials: 25);

        var pruned = result.Trials.Where(t => t.Pruned).ToList();
        var completed = result.Trials.Where(t => !t.Pruned).ToList();
        output.WriteLine($"{pruning}: {pruned.Count} of 25 trials pruned, {epochs.Sum()} epochs of {25 * LearningCurves.Epochs}");
        Assert.InRange(pruned.Count, 5, 24);
        Assert.All(result.Trials, t => Assert.True(t.Succeeded, t.ToString()));
        Assert.All(pruned, t => Assert.Equal(epochs[t.Index], t.PrunedAtStep));
        Assert.All(pruned, t => Assert.Equal(LearningCurves.Loss(TestFunctions.Branin(t.Parameters), t.PrunedAtStep!.Value), t.Value, 12));
        Assert.Contains("pruned at step", pruned[0].ToString());
        Assert.True(pruned.Min(t => t.Value) < completed.Min(t => t.Value));
        Assert.Equal(completed.MinBy(t => t.Value)!.Parameters, result.BestParameters);
        Assert.Equal(completed.Min(t => t.Value), result.BestValue);
        Assert.False(result.Trials.Single(t => t.Parameters == result.BestParameters).Pruned);
    }

    [Fact]
    public void MaximizeWithPruningStopsTheLowCurves()
    {
        // Accuracy-like curves rising to 1 − Branin/300: the pruner sees negated values, so low curves stop.
        var result = new BayesianOptimizer(TestFunctions.BraninSpace(), 2).Maximize(
            (parameters, reporter) =>
            {
                var final = 1 - (TestFunctions.Branin(parameters) / 300);
                for (var step = 1; step <= 9; step++)
                {
                    if (reporter.Report(step, final - (0.2 * Math.Exp(-step / 3.0))))
                    {
                        break;
                    }
                }

                return final;
            },
            new MedianPruner(new MedianPruner.Options { StartupTrials = 3, WarmupSteps = 1 }),
            maxTrials: 15);

        var pruned = result.Trials.Where(t => t.Pruned).ToList();
        var completed = result.Trials.Where(t => !t.Pruned).ToList();
        Assert.NotEmpty(pruned);
        Assert.Equal(completed.Max(t => t.Value), result.BestValue);
        Assert.All(pruned, t => Assert.True(t.Value < result.BestValue, t.ToString()));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ConcurrentTrialsGiveTheSameTrialsWhicheverEndsFirst(string kind)
    {
        // Two runs with opposite timings: in the first, later trials of each window end first; in the second, earlier ones.
        OptimizationResult Run(bool laterFirst) => Create(kind, TestFunctions.BraninSpace(), 4).Minimize(
            (parameters, reporter) =>
            {
                Thread.Sleep(laterFirst ? 40 - (10 * (reporter.TrialIndex % 3)) : 10 + (10 * (reporter.TrialIndex % 3)));
                return TestFunctions.Branin(parameters);
            },
            TrialPruner.Create(TrialPruning.None),
            maxTrials: 14,
            maxConcurrentTrials: 3);

        var first = Run(laterFirst: true);
        var second = Run(laterFirst: false);
        var sequential = Create(kind, TestFunctions.BraninSpace(), 4).Minimize(TestFunctions.Branin, 14);

        Assert.Equal(Enumerable.Range(0, 14), first.Trials.Select(t => t.Index));
        Assert.Equal(first.Trials.Select(t => t.Parameters), second.Trials.Select(t => t.Parameters));
        Assert.Equal(first.Trials.Select(t => t.Value), second.Trials.Select(t => t.Value));
        Assert.Equal(first.BestParameters, second.BestParameters);
        Assert.Equal(14, first.Trials.Select(t => t.Parameters).Distinct().Count());
        Assert.Equal(first.Trials.Min(t => t.Value), first.BestValue);

        // The first points come from the initial design, as in the sequential search; later ones know fewer results.
        Assert.Equal(sequential.Trials.Take(3).Select(t => t.Parameters), first.Trials.Take(3).Select(t => t.Parameters));
    }

    [Fact]
    public void OneConcurrentTrialRunsOnTheCallingThreadAsTheSequentialSearch()
    {
        var thread = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        var sequential = new BayesianOptimizer(TestFunctions.BraninSpace(), 6).Minimize(TestFunctions.Branin, 12);
        var single = new BayesianOptimizer(TestFunctions.BraninSpace(), 6).Minimize(
            (parameters, _) =>
            {
                threads.Add(Environment.CurrentManagedThreadId);
                return TestFunctions.Branin(parameters);
            },
            TrialPruner.Create(TrialPruning.None),
            maxTrials: 12,
            maxConcurrentTrials: 1);

        Assert.Equal([thread], threads);
        Assert.Equal(sequential.Trials.Select(t => t.Parameters), single.Trials.Select(t => t.Parameters));
        Assert.Equal(sequential.BestValue, single.BestValue);
    }

    [Fact]
    public void ConcurrentTrialsOverlapAndProgressSeesThemInOrderOnTheCallingThread()
    {
        var thread = Environment.CurrentManagedThreadId;
        int running = 0, mostRunning = 0;
        var seen = new List<int>();
        var progressThreads = new HashSet<int>();
        var result = new RandomSearchOptimizer(TestFunctions.BraninSpace(), 2).Maximize(
            (parameters, _) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref mostRunning, now);
                Thread.Sleep(30);
                Interlocked.Decrement(ref running);
                return -TestFunctions.Branin(parameters);
            },
            TrialPruner.Create(TrialPruning.None),
            maxTrials: 8,
            maxConcurrentTrials: 2,
            progress: trial =>
            {
                seen.Add(trial.Index);
                progressThreads.Add(Environment.CurrentManagedThreadId);
            });

        Assert.Equal(2, mostRunning);
        Assert.Equal(Enumerable.Range(0, 8), seen);
        Assert.Equal([thread], progressThreads);
        Assert.Equal(8, result.Trials.Count);
        Assert.Equal(result.Trials.Max(t => t.Value), result.BestValue);
        Assert.Equal(0, running);

        static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }

    [Fact]
    public void ConcurrentTrialsStopStartingOnCancellationAndFinishTheRunningOnes()
    {
        using var cancellation = new CancellationTokenSource();
        var finished = 0;
        var result = new BayesianOptimizer(TestFunctions.BraninSpace(), 1).Minimize(
            (parameters, _) =>
            {
                Thread.Sleep(20);
                Interlocked.Increment(ref finished);
                return TestFunctions.Branin(parameters);
            },
            TrialPruner.Create(TrialPruning.None),
            maxTrials: 50,
            maxConcurrentTrials: 3,
            progress: trial =>
            {
                if (trial.Index == 3)
                {
                    cancellation.Cancel();
                }
            },
            cancellationToken: cancellation.Token);

        // Trials 0-5 had started when trial 3 was told (trial 6 starts only after the check that sees the cancellation).
        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.Equal(6, result.Trials.Count);
        Assert.Equal(6, finished);
    }

    [Fact]
    public void ProgressThatThrowsWaitsForTheRunningTrials()
    {
        var running = 0;
        var error = Assert.Throws<InvalidOperationException>(() => new RandomSearchOptimizer(TestFunctions.BraninSpace(), 1).Minimize(
            (parameters, _) =>
            {
                Interlocked.Increment(ref running);
                Thread.Sleep(SleepFor(parameters));
                Interlocked.Decrement(ref running);
                return TestFunctions.Branin(parameters);
            },
            TrialPruner.Create(TrialPruning.None),
            maxTrials: 10,
            maxConcurrentTrials: 3,
            progress: _ => throw new InvalidOperationException("progress failed")));

        Assert.Equal("progress failed", error.Message);
        Assert.Equal(0, Volatile.Read(ref running));

        static int SleepFor(ParameterSet parameters) => 20 + (int)(parameters.GetDouble("x2") * 2);
    }

    [Theory]
    [InlineData(TrialPruning.Median)]
    [InlineData(TrialPruning.SuccessiveHalving)]
    public void ConcurrentTrialsWithPruningNeverReturnAPrunedTrialAsTheBest(TrialPruning pruning)
    {
        var result = new BayesianOptimizer(TestFunctions.BraninSpace(), 1).Minimize(
            (parameters, reporter) =>
            {
                var final = TestFunctions.Branin(parameters);
                for (var step = 1; step <= LearningCurves.Epochs; step++)
                {
                    if (reporter.Report(step, LearningCurves.Loss(final, step)))
                    {
                        return double.NaN;
                    }
                }

                return final + 100;
            },
            TrialPruner.Create(pruning),
            maxTrials: 25,
            maxConcurrentTrials: 2);

        var pruned = result.Trials.Where(t => t.Pruned).ToList();
        var completed = result.Trials.Where(t => !t.Pruned).ToList();
        Assert.Equal(25, result.Trials.Count);
        Assert.NotEmpty(pruned);
        Assert.All(pruned, t => Assert.InRange(t.PrunedAtStep!.Value, 1, LearningCurves.Epochs));
        Assert.Equal(completed.Min(t => t.Value), result.BestValue);
        Assert.False(result.Trials.Single(t => t.Parameters == result.BestParameters).Pruned);
    }

    [Fact]
    public void ConcurrencyBelowOneIsRejectedByName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomSearchOptimizer(TestFunctions.BraninSpace(), 1).Minimize(
            (p, _) => TestFunctions.Branin(p), TrialPruner.Create(TrialPruning.None), maxTrials: 3, maxConcurrentTrials: 0));
        Assert.Equal("maxConcurrentTrials", error.ParamName);
        Assert.Contains("maxConcurrentTrials=0", error.Message);
    }

    [Fact]
    public void TellAcceptsKnownPointsAndFailuresWithoutAPriorProposal()
    {
        var space = TestFunctions.BraninSpace();
        var optimizer = new BayesianOptimizer(space, 0, new BayesianOptimizer.Options { InitialTrials = 3 });
        var known = space.Decode([1.0 / 3, 0.2]);
        optimizer.Tell(known, TestFunctions.Branin(known));
        optimizer.Tell(space.Decode([0.9, 0.9]), double.NaN);
        optimizer.Tell(space.Decode([0.1, 0.9]), TestFunctions.Branin(space.Decode([0.1, 0.9])));
        Assert.Equal(3, optimizer.ObservationCount);
        var next = optimizer.Propose();
        Assert.NotEqual(known, next);
        Assert.Single(optimizer.Pending);
        space.Validate(next);
    }
}
