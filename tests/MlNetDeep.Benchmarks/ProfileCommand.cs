using System.Diagnostics;
using System.Text.Json;
using MlNetDeep.Compute;
using MlNetDeep.Layers;
using MlNetDeep.GradientOptimizers;
using MlNetDeep.Training;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>profile --workload T1|T2|T3|T4 --threads N [--steps S] [--hidden 512,512] [--ensemble K] [--normalization None]
/// [--dropout X]</c>: runs training steps of a workload and reports
/// the time share of every layer's forward and backward pass, the loss and the
/// optimizer step (the mean and, less disturbed by other work on the machine, the median over steps), to show where a
/// step's time goes. <c>profile --workload I1|I2 --threads N [--steps S]</c> does the
/// same for the inference layers of the T1 network (folded as a scorer folds them) on batches of 1,024 rows or one row.
/// </summary>
internal static class ProfileCommand
{
    public static int Run(string[] args)
    {
        var options = new CommandLine(args);
        var workload = Workload.Get(options.String("workload", "T1")).WithOptions(options);
        var threads = options.Int("threads", Environment.ProcessorCount);
        var steps = options.Int("steps", 200);
        if (workload.Name is "I1" or "I2")
        {
            return RunInference(workload, threads, steps);
        }

        var spec = workload.Spec;
        var network = SequentialNetwork.Create(spec, 1);
        var batch = workload.BatchSize;
        network.Allocate(batch);
        var context = new LayerContext(new RandomGenerator(1), threads) { Training = true, AccumulateGradients = false };
        var loss = NetworkTrainer.CreateLoss(spec, 0);
        var optimizer = OptimizerFactory.Create(Optimizer.Adam, new OptimizerOptions(), network.Parameters.Length, network.DecayedRanges());
        optimizer.Threads = threads;
        var x = GaussianValues(batch * workload.Features);
        var labels = Enumerable.Range(0, batch).Select(i => (float)(i % workload.Classes)).ToArray();
        var gradient = new float[batch * loss.OutputSize];
        var layers = network.Layers;
        var forward = new double[layers.Count];
        var backward = new double[layers.Count];
        // As the network's backward pass: no input gradient from the first layer with parameters, no pass before it.
        var firstTrainable = Math.Max(0, layers.ToList().FindIndex(layer => layer.Parameters.Count > 0));
        var forwardSteps = Enumerable.Range(0, layers.Count).Select(_ => new List<double>()).ToArray();
        var backwardSteps = Enumerable.Range(0, layers.Count).Select(_ => new List<double>()).ToArray();
        double lossTime = 0, stepTime = 0, total = 0;
        var activations = LayerBuffers(layers, new float[batch * workload.Features], batch);

        var widest = Math.Max(workload.Features, layers.Max(l => l.OutputSize));
        var gA = new float[batch * widest];
        var gB = new float[batch * widest];
        // Warm up 200 steps: tiered compilation replaces the loss's and the small layers' code only after dozens of calls
        // and a delay (the loss took 2.7 ms in the first step and 157 µs at the 50th before settling at 12 µs).
        const int WarmUpSteps = 200;
        for (var s = -WarmUpSteps; s < steps; s++)
        {
            var t0 = Stopwatch.GetTimestamp();
            x.CopyTo(activations[0], 0);
            TimedForward(layers, activations, batch, context, forward, timed: s >= 0, forwardSteps);

            var t2 = Stopwatch.GetTimestamp();
            loss.LossAndGradient(activations[^1], labels, ReadOnlySpan<float>.Empty, batch, gradient);
            var t3 = Stopwatch.GetTimestamp();
            gradient.CopyTo(gA, 0);
            var current = gA;
            var next = gB;
            for (var l = layers.Count - 1; l >= firstTrainable; l--)
            {
                var ts = Stopwatch.GetTimestamp();
                var layer = layers[l];
                layer.Backward(
                    activations[l].AsSpan(0, batch * layer.InputSize),
                    activations[l + 1].AsSpan(0, batch * layer.OutputSize),
                    current.AsSpan(0, batch * layer.OutputSize),
                    l == firstTrainable ? Span<float>.Empty : next.AsSpan(0, batch * layer.InputSize),
                    batch,
                    context);
                if (s >= 0)
                {
                    var elapsed = Stopwatch.GetElapsedTime(ts).TotalMilliseconds;
                    backward[l] += elapsed;
                    backwardSteps[l].Add(elapsed);
                }

                (current, next) = (next, current);
            }

            var t4 = Stopwatch.GetTimestamp();
            optimizer.Step(network.Parameters, network.Gradients, 1e-3f);
            var t5 = Stopwatch.GetTimestamp();
            if (s >= 0)
            {
                lossTime += Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds;
                stepTime += Stopwatch.GetElapsedTime(t4, t5).TotalMilliseconds;
                total += Stopwatch.GetElapsedTime(t0, t5).TotalMilliseconds;
            }
        }

        Console.Error.WriteLine($"{workload.Name}, {threads} threads, batch {batch}: {total / steps * 1000:F0} µs per step, {batch / (total / steps) * 1000:F0} samples/s");
        for (var l = 0; l < layers.Count; l++)
        {
            Console.Error.WriteLine($"  {l,2} {layers[l].GetType().Name,-16} {layers[l].InputSize,5}→{layers[l].OutputSize,-5} forward {forward[l] / steps * 1000,7:F1} µs (median {Median(forwardSteps[l]) * 1000,7:F1})  backward {backward[l] / steps * 1000,7:F1} µs (median {Median(backwardSteps[l]) * 1000,7:F1})");
        }

        Console.Error.WriteLine($"  loss {lossTime / steps * 1000:F1} µs, optimizer {stepTime / steps * 1000:F1} µs");

        // The same steps through the network's own Forward and Backward, as the trainer runs them.
        network.Allocate(batch);
        double networkForward = 0, networkBackward = 0, networkTotal = 0;
        for (var s = -WarmUpSteps; s < steps; s++)
        {
            var t0 = Stopwatch.GetTimestamp();
            var output = network.Forward(x, batch, context);
            var t1 = Stopwatch.GetTimestamp();
            loss.LossAndGradient(output, labels, ReadOnlySpan<float>.Empty, batch, gradient);
            var t2 = Stopwatch.GetTimestamp();
            network.Backward(gradient, batch, context);
            var t3 = Stopwatch.GetTimestamp();
            optimizer.Step(network.Parameters, network.Gradients, 1e-3f);
            var t4 = Stopwatch.GetTimestamp();
            if (s >= 0)
            {
                networkForward += Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
                networkBackward += Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds;
                networkTotal += Stopwatch.GetElapsedTime(t0, t4).TotalMilliseconds;
            }
        }

        Console.Error.WriteLine($"  network passes: forward {networkForward / steps * 1000:F1} µs, backward {networkBackward / steps * 1000:F1} µs, step {networkTotal / steps * 1000:F0} µs");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            workload = workload.Name,
            threads,
            microseconds_per_step = Math.Round(total / steps * 1000, 1),
            network_microseconds_per_step = Math.Round(networkTotal / steps * 1000, 1),
        }));
        return 0;
    }

    private static int RunInference(Workload workload, int threads, int steps)
    {
        var network = SequentialNetwork.Create(workload.Spec, 1);
        var batch = workload.Name == "I1" ? 1024 : 1;
        var layers = InferenceFolding.Fold(network.Layers, network.InputMean, network.InputScale, out _);
        var context = new LayerContext(new RandomGenerator(1), threads) { Training = false };
        var x = GaussianValues(batch * workload.Features);
        var activations = LayerBuffers(layers, x, batch);

        // Warm up as many passes as are timed, at least 2,000: tiered compilation replaces hot methods only after a delay.
        var warmUp = Math.Max(steps, 2_000);
        var forward = new double[layers.Length];
        double total = 0;
        for (var s = -warmUp; s < steps; s++)
        {
            var t0 = Stopwatch.GetTimestamp();
            TimedForward(layers, activations, batch, context, forward, timed: s >= 0);
            if (s >= 0)
            {
                total += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
        }

        var scorer = network.CreateScorer(batch, threads);
        var output = new float[batch * workload.Classes];
        double scoring = 0;
        for (var s = -warmUp; s < steps; s++)
        {
            var t0 = Stopwatch.GetTimestamp();
            scorer.Score(x, output, batch);
            if (s >= 0)
            {
                scoring += Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
        }

        Console.Error.WriteLine($"{workload.Name}, {threads} threads, batch {batch}: layers {total / steps * 1000:F1} µs, scorer {scoring / steps * 1000:F1} µs per batch");
        for (var l = 0; l < layers.Length; l++)
        {
            Console.Error.WriteLine($"  {l,2} {layers[l].GetType().Name,-16} {layers[l].InputSize,5}→{layers[l].OutputSize,-5} forward {forward[l] / steps * 1000,7:F1} µs");
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            workload = workload.Name,
            threads,
            microseconds_per_batch = Math.Round(total / steps * 1000, 1),
            scorer_microseconds_per_batch = Math.Round(scoring / steps * 1000, 1),
        }));
        return 0;
    }

    /// <summary>Standard-normal values from a fixed seed.</summary>
    private static float[] GaussianValues(int count)
    {
        var random = new RandomGenerator(2);
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextGaussian();
        }

        return values;
    }

    /// <summary><paramref name="input"/>, then one output buffer per layer for batches of <paramref name="batch"/> rows.</summary>
    private static float[][] LayerBuffers(IReadOnlyList<Layer> layers, float[] input, int batch)
    {
        var activations = new float[layers.Count + 1][];
        activations[0] = input;
        for (var l = 0; l < layers.Count; l++)
        {
            activations[l + 1] = new float[batch * layers[l].OutputSize];
        }

        return activations;
    }

    /// <summary>The median of <paramref name="values"/>.</summary>
    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);

    /// <summary>
    /// Runs every layer's forward pass through <paramref name="activations"/>, adding each one's milliseconds to
    /// <paramref name="forward"/> (and to its list in <paramref name="steps"/>, when given) when <paramref name="timed"/>.
    /// </summary>
    private static void TimedForward(IReadOnlyList<Layer> layers, float[][] activations, int batch, LayerContext context, double[] forward, bool timed, List<double>[]? steps = null)
    {
        for (var l = 0; l < layers.Count; l++)
        {
            var start = Stopwatch.GetTimestamp();
            layers[l].Forward(activations[l].AsSpan(0, batch * layers[l].InputSize), activations[l + 1].AsSpan(0, batch * layers[l].OutputSize), batch, context);
            if (timed)
            {
                var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                forward[l] += elapsed;
                steps?[l].Add(elapsed);
            }
        }
    }
}
