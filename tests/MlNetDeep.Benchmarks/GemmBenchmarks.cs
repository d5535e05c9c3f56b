using BenchmarkDotNet.Attributes;
using MlNetDeep.Compute;

namespace MlNetDeep.Benchmarks;

/// <summary>BenchmarkDotNet timings of <see cref="Gemm.Multiply"/> at the shapes training uses (C overwritten).</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _b = [];
    private float[] _c = [];

    /// <summary>The shape as <c>form m×k×n</c>: nn is A·B, nt is A·Bᵀ, tn is Aᵀ·B.</summary>
    [Params("nn 128x784x512", "nt 128x784x512", "nn 128x512x256", "tn 512x128x784")]
    public string Shape { get; set; } = "nn 128x784x512";

    [Params(1, 2)]
    public int Threads { get; set; }

    private bool _transposeA;
    private bool _transposeB;
    private int _m;
    private int _k;
    private int _n;

    [GlobalSetup]
    public void Setup()
    {
        _transposeA = Shape[0] == 't';
        _transposeB = Shape[1] == 't';
        var dimensions = Shape[3..].Split('x').Select(int.Parse).ToArray();
        var (m, k, n) = (_m, _k, _n) = (dimensions[0], dimensions[1], dimensions[2]);
        var random = new RandomGenerator(1);
        _a = new float[m * k];
        _b = new float[k * n];
        _c = new float[m * n];
        for (var i = 0; i < _a.Length; i++)
        {
            _a[i] = random.NextSingle() - 0.5f;
        }

        for (var i = 0; i < _b.Length; i++)
        {
            _b[i] = random.NextSingle() - 0.5f;
        }
    }

    [Benchmark]
    public void Multiply() => Gemm.Multiply(_transposeA, _transposeB, _m, _n, _k, _a, _b, _c, accumulate: false, Threads);
}
