using BenchmarkDotNet.Attributes;
using MlNetDeep.Compute;
using MlNetDeep.Layers;

namespace MlNetDeep.Benchmarks;

/// <summary>
/// BenchmarkDotNet timings of the elementwise layers of a T1 hidden block at its first block's shape (128 rows of
/// 512 units), one thread, training mode: batch normalization, ReLU and dropout, forward and backward.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class LayerBenchmarks
{
    private const int Batch = 128;
    private const int Units = 512;
    private readonly float[] _x = new float[Batch * Units];
    private readonly float[] _y = new float[Batch * Units];
    private readonly float[] _dy = new float[Batch * Units];
    private readonly float[] _dx = new float[Batch * Units];
    private readonly float[] _parameters = new float[2 * Units];
    private readonly float[] _gradients = new float[2 * Units];
    private readonly float[] _buffers = new float[2 * Units];
    private readonly BatchNorm _batchNorm = new(Units);
    private readonly ActivationLayer _relu = new(Units, Activation.ReLU);
    private readonly Dropout _dropout = new(Units, 0.2f);
    private readonly LayerContext _context = new(new RandomGenerator(1)) { Training = true, AccumulateGradients = false };

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomGenerator(2);
        for (var i = 0; i < _x.Length; i++)
        {
            _x[i] = (float)random.NextGaussian();
            _dy[i] = (float)random.NextGaussian();
        }

        _parameters.AsSpan(0, Units).Fill(1f);
        _buffers.AsSpan(Units).Fill(1f);
        _batchNorm.Bind(
            [new TensorView(_parameters, 0, Units), new TensorView(_parameters, Units, Units)],
            [new TensorView(_gradients, 0, Units), new TensorView(_gradients, Units, Units)],
            [new TensorView(_buffers, 0, Units), new TensorView(_buffers, Units, Units)]);
        _batchNorm.Allocate(Batch);
        _dropout.Allocate(Batch);
        _batchNorm.Forward(_x, _y, Batch, _context);
        _dropout.Forward(_x, _y, Batch, _context);
    }

    [Benchmark]
    public void BatchNormForward() => _batchNorm.Forward(_x, _y, Batch, _context);

    [Benchmark]
    public void BatchNormBackward() => _batchNorm.Backward(_x, _y, _dy, _dx, Batch, _context);

    [Benchmark]
    public void ReLUForward() => _relu.Forward(_x, _y, Batch, _context);

    [Benchmark]
    public void ReLUBackward() => _relu.Backward(_x, _y, _dy, _dx, Batch, _context);

    [Benchmark]
    public void DropoutForward() => _dropout.Forward(_x, _y, Batch, _context);

    [Benchmark]
    public void DropoutBackward() => _dropout.Backward(_x, _y, _dy, _dx, Batch, _context);
}
