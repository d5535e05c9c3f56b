using BenchmarkDotNet.Running;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// Entry point. The first argument names a command: <c>gemm</c> times one GEMM shape and prints a JSON
/// line; <c>bdn</c> hands the remaining arguments to BenchmarkDotNet (e.g. <c>bdn --filter *Gemm*</c>).
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
            case "bdn":
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest);
                return 0;
            default:
                Console.Error.WriteLine("usage: gemm --m M --k K --n N [--threads T] [--form nn|nt|tn|tt] | bdn [BenchmarkDotNet arguments]");
                return 1;
        }
    }
}
