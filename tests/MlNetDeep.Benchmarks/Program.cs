namespace MlNetDeep.Benchmarks;

/// <summary>Entry point: end-to-end commands (gemm, train, infer) and BenchmarkDotNet kernels.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: gemm | train | infer | bdn");
        return args.Length == 0 ? 1 : 0;
    }
}
