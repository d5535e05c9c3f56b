namespace MlNetDeep.Benchmarks;

/// <summary>Entry point: end-to-end commands (gemm, train, infer) and BenchmarkDotNet kernels.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var command = args.Length > 0 ? args[0] : string.Empty;
        var rest = args.Skip(1).ToArray();
        switch (command)
        {
            case "train":
                return TrainCommand.Run(rest);
            case "infer":
                return InferCommand.Run(rest);
            case "quality":
                return QualityCommand.Run(rest);
            default:
                Console.Error.WriteLine("usage: train --workload T1|T2|T3 --threads N | infer --workload I1|I2 --threads N");
                return 2;
        }
    }
}
