using System.Globalization;
using MlNetDeep.Compute;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// <c>steps --workload T1|T2|T3|I1 [--threads T] [--seconds S]</c>: times the matrix products of one workload step with
/// the engine's GEMM, back to back, and nothing else, and prints as its last line
/// <c>{"op":"steps","workload":…,"threads":…,"samples_per_second":…,"flops_per_sample":…,"gflops":…}</c>.
/// </summary>
/// <remarks>
/// For every dense layer i of the workload's network (batch b): forward <c>Y = X·Wᵀ</c>, weight gradient
/// <c>dW = dYᵀ·X</c> and, except for the first layer, input gradient <c>dX = dY·W</c>; I1 runs the forward products
/// of a 1,024-row batch only. eng/openblas_steps.py times the same products with OpenBLAS, so the two give the
/// speed a step would have if everything but its products were free. Timed by <see cref="BatchTimer"/>, as <c>gemm</c>: warm-up,
/// then 7 batches of about <c>S/7</c> seconds, best batch reported.
/// </remarks>
internal static class StepsCommand
{
    public static int Run(string[] args)
    {
        var options = new CommandLine(args);
        var name = options.String("workload", "T2").ToUpperInvariant();
        var threads = options.Int("threads", 2);
        var seconds = options.Int("seconds", 3);
        if (name is not ("T1" or "T2" or "T3" or "I1"))
        {
            throw new ArgumentException($"--workload must be T1, T2, T3 or I1. Received: {name}.");
        }

        var workload = Workload.Get(name);
        var training = name[0] == 'T';
        var batch = training ? workload.BatchSize : 1024;
        int[] sizes = [workload.Features, .. workload.Hidden.Select(h => h.Units), workload.Classes];
        var layers = sizes.Length - 1;
        var random = new RandomGenerator(1);
        var activations = sizes.Select(s => BatchTimer.Uniform(random, batch * s)).ToArray();
        var weights = Enumerable.Range(0, layers).Select(i => BatchTimer.Uniform(random, sizes[i + 1] * sizes[i])).ToArray();
        var outputGradients = Enumerable.Range(0, layers).Select(i => BatchTimer.Uniform(random, batch * sizes[i + 1])).ToArray();
        var weightGradients = Enumerable.Range(0, layers).Select(i => new float[sizes[i + 1] * sizes[i]]).ToArray();
        var flopsPerSample = training ? workload.TrainingFlopsPerSample : workload.InferenceFlopsPerRow;

        void Step()
        {
            for (var i = 0; i < layers; i++)
            {
                Gemm.Multiply(false, true, batch, sizes[i + 1], sizes[i], activations[i], weights[i], activations[i + 1], accumulate: false, threads);
            }

            if (!training)
            {
                return;
            }

            for (var i = layers - 1; i >= 0; i--)
            {
                Gemm.Multiply(true, false, sizes[i + 1], sizes[i], batch, outputGradients[i], activations[i], weightGradients[i], accumulate: false, threads);
                if (i > 0)
                {
                    Gemm.Multiply(false, false, batch, sizes[i], sizes[i + 1], outputGradients[i], weights[i], outputGradients[i - 1], accumulate: false, threads);
                }
            }
        }

        var (calls, secondsPerCall, _) = BatchTimer.Run(Step, seconds);
        var rates = secondsPerCall.Select(t => batch / t).ToArray();
        Console.Error.WriteLine($"steps {name} threads {threads}: {calls} steps per batch, samples/s min {rates[0]:F0} median {rates[BatchTimer.Batches / 2]:F0} best {rates[^1]:F0}");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"op\":\"steps\",\"workload\":\"{name}\",\"threads\":{threads},\"samples_per_second\":{rates[^1]:F1},\"flops_per_sample\":{flopsPerSample},\"gflops\":{rates[^1] * flopsPerSample / 1e9:F2}}}"));
        return 0;
    }
}
