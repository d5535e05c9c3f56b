using MlNetDeep.Compute;
using MlNetDeep.Layers;
using MlNetDeep.Training;

namespace MlNetDeep.Tests.Diagnostics;

/// <summary>Tiny networks whose weights the tests set by hand.</summary>
internal static class NetworkBuilder
{
    public static SequentialNetwork Create(int inputSize, TaskKind task, int classes, params HiddenLayerSpec[] hidden)
        => SequentialNetwork.Create(
            new NetworkSpec { InputSize = inputSize, Task = task, ClassCount = classes, HiddenLayers = hidden },
            seed: 7);

    /// <summary>Overwrites the tensor <paramref name="name"/> (e.g. <c>layers.0.weight</c>) with <paramref name="values"/>.</summary>
    public static void Set(SequentialNetwork network, string name, params float[] values)
    {
        var tensor = network.ParameterTensors.Concat(network.BufferTensors).Single(t => t.Name == name);
        if (tensor.View.Length != values.Length)
        {
            throw new ArgumentException($"{name} has {tensor.View.Length} values; the test gave {values.Length}.");
        }

        values.CopyTo(tensor.View.Span);
    }

    /// <summary>A training context whose dropout stream is fixed.</summary>
    public static LayerContext Training() => new(new RandomGenerator(1)) { Training = true };

    /// <summary>Rows drawn uniformly from [<paramref name="low"/>, <paramref name="high"/>) per feature.</summary>
    public static float[] Uniform(int rows, int columns, float low, float high, long seed)
    {
        var random = new RandomGenerator(seed);
        var values = new float[rows * columns];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = low + ((high - low) * random.NextSingle());
        }

        return values;
    }
}
