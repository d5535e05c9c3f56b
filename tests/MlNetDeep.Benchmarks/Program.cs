using BenchmarkDotNet.Running;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Entry point. The first argument names a command, each printing one JSON line last:
/// <c>gemm</c> times one GEMM shape; <c>steps</c> times the GEMMs of one workload step back to back; <c>train</c> and <c>infer</c> run the end-to-end workloads;
/// <c>quality</c> trains on the published data splits; <c>suite</c> trains through ML.NET on the 15 public data sets and sets
/// the scores beside the anchor systems'; <c>text</c> compares sparse and densified rows and ML.NET's SDCA on the
/// text-classification sample; <c>initstudy</c> compares weight initializers on a deep
/// stack; <c>tune</c> compares the tuner with the default options and with random search; <c>regret</c> measures the
/// optimizers' regret on benchmark functions; <c>profile</c> shows where a
/// training step's time goes; <c>bdn</c> hands the remaining arguments to BenchmarkDotNet (e.g. <c>bdn --filter *Gemm*</c>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var command = args.Length == 0 ? string.Empty : args[0];
        var rest = args.Length == 0 ? [] : args[1..];
        switch (command)
        {
            case "gemm":
                return GemmCommand.Run(rest);
            case "steps":
                return StepsCommand.Run(rest);
            case "train":
                return TrainCommand.Run(rest);
            case "infer":
                return InferCommand.Run(rest);
            case "profile":
                return ProfileCommand.Run(rest);
            case "ensemble-cost":
                return EnsembleCostCommand.Run(rest);
            case "loading":
                return LoadingCommand.Run(rest);
            case "quality":
                return QualityCommand.Run(rest);
            case "suite":
                return SuiteCommand.Run(rest);
            case "text":
                return TextCommand.Run(rest);
            case "initstudy":
                return InitStudyCommand.Run(rest);
            case "tune":
                return TuneCommand.Run(rest);
            case "regret":
                return RegretCommand.Run(rest);
            case "bdn":
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest);
                return 0;
            default:
                Console.Error.WriteLine(
                    "usage: gemm --m M --k K --n N [--threads T] [--form nn|nt|tn|tt]\n" +
                    "     | steps --workload T1|T2|T3|I1 [--threads T]\n" +
                    "     | train --workload T1|T2|T3 [--threads T] [--epochs E]\n" +
                    "     | train --workload S1 [--loading Auto|InMemory|Streaming] [--rows N] [--epochs E] [--threads T]\n" +
                    "     | infer --workload I1|I2 [--threads T]\n" +
                    "     | ensemble-cost --workload T4 [--ensemble K] [--rounds R] [--epochs E] [--hidden 256,128] [--threads T]\n" +
                    "     | loading --dataset letter|digits [--data DIR] [--seeds 0,1,2,3,4] [--shuffle-buffer N]\n" +
                    "     | quality --dataset letter|digits|breast_cancer|diabetes [--data DIR] [--seeds 0,1,2,3,4] [...]\n" +
                    "     | suite [--data data] [--datasets all|digits,letter,...] [--seeds 0,1,2,3,4] [--set Name=Value]... [--json FILE]\n" +
                    "     | text [--data data/austen.csv] [--seeds 0,1,2] [--modes sparse,dense,sdca] [--rows N] [--epochs 30]\n" +
                    "     | initstudy [--data data/digits.csv] [--layers 10] [--units 256] [--epochs 5] [--out initstudy] [...]\n" +
                    "     | tune --dataset letter|digits [--data DIR] [--seeds 0,1,2,3,4] [--trials 30] [--epochs E] [--rows N] [--modes default,bayesian,random] [--pruning None,SuccessiveHalving] [--concurrent 1,2]\n" +
                    "     | regret [--functions branin,hartmann6,rastrigin4,...] [--seeds 8] [--trials 30] [--optimizers bayes,bayes-q2,random]\n" +
                    "     | bdn [BenchmarkDotNet arguments]");
                return 1;
        }
    }
}
