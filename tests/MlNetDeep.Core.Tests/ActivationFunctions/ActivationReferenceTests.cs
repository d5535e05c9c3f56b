using MlNetDeep.ActivationFunctions;
using MlNetDeep.Compute;
using MlNetDeep.Layers;
using MlNetDeep.Tests.TestUtilities;
using Xunit;

namespace MlNetDeep.Tests.ActivationFunctions;

/// <summary>Every activation against the PyTorch float64 golden values in Reference/activation_*.json.</summary>
public class ActivationReferenceTests
{
    private const double Rtol = 1e-4;
    private const double Atol = 1e-6;

    public static IEnumerable<object[]> ElementwiseFiles =>
    [
        ["activation_linear"], ["activation_sigmoid"], ["activation_hard_sigmoid"], ["activation_hard_sigmoid_keras2"],
        ["activation_tanh"], ["activation_softsign"], ["activation_softplus"], ["activation_relu"],
        ["activation_leaky_relu"], ["activation_thresholded_relu"], ["activation_elu"], ["activation_selu"],
        ["activation_gelu"], ["activation_gelu_tanh"], ["activation_silu"], ["activation_mish"],
    ];

    [Fact]
    public void EveryReferenceFileIsCovered()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Reference"), "activation_*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var covered = ElementwiseFiles.Select(f => (string)f[0]).Append("activation_prelu").Append("activation_softmax").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(18, files.Length);
        Assert.Equal(covered, files);
    }

    [Theory]
    [MemberData(nameof(ElementwiseFiles))]
    public void ElementwiseMatchesReference(string file)
    {
        var data = ReferenceData.Load(file);
        var function = CreateFromParams(file, data);
        var x = data.Floats("x");
        var dy = data.Floats("dy");
        var y = new float[x.Length];
        var dx = new float[x.Length];

        function.Forward(x, y);
        function.Backward(x, y, dy, dx);

        AssertClose.All(data.Floats("y"), y, Rtol, Atol, $"{file} y");
        AssertClose.All(data.Floats("dx"), dx, Rtol, Atol, $"{file} dx");
    }

    [Fact]
    public void PReLUMatchesReference()
    {
        var data = ReferenceData.Load("activation_prelu");
        var shape = data.Root.GetProperty("shape");
        var batch = shape[0].GetInt32();
        var units = shape[1].GetInt32();
        var layer = new PReLU(units);
        var alpha = data.Floats("alpha");
        var parameters = (float[])alpha.Clone();
        var gradients = new float[units];
        layer.Bind([new TensorView(parameters, 0, units)], [new TensorView(gradients, 0, units)], []);
        var context = new LayerContext(new RandomGenerator(1)) { Training = true };
        var x = data.Floats("x");
        var dy = data.Floats("dy");
        var y = new float[x.Length];
        var dx = new float[x.Length];

        layer.Forward(x, y, batch, context);
        layer.Backward(x, y, dy, dx, batch, context);

        AssertClose.All(data.Floats("y"), y, Rtol, Atol, "prelu y");
        AssertClose.All(data.Floats("dx"), dx, Rtol, Atol, "prelu dx");
        AssertClose.All(data.Floats("dalpha"), gradients, Rtol, Atol, "prelu dalpha");
    }

    [Fact]
    public void SoftmaxMatchesReference()
    {
        var data = ReferenceData.Load("activation_softmax");
        var shape = data.Root.GetProperty("shape");
        var batch = shape[0].GetInt32();
        var classes = shape[1].GetInt32();
        var x = data.Floats("x");
        var dy = data.Floats("dy");
        var y = new float[x.Length];
        var dx = new float[x.Length];

        Softmax.Forward(x, y, batch, classes);
        Softmax.Backward(y, dy, dx, batch, classes);

        AssertClose.All(data.Floats("y"), y, Rtol, Atol, "softmax y");
        AssertClose.All(data.Floats("dx"), dx, Rtol, Atol, "softmax dx");
    }

    private static ActivationFunction CreateFromParams(string file, ReferenceData data)
    {
        var parameters = data.Root.GetProperty("params");
        float Param(string name) => (float)parameters.GetProperty(name).GetDouble();
        return file switch
        {
            "activation_linear" => ActivationFunction.Create(Activation.Linear),
            "activation_sigmoid" => ActivationFunction.Create(Activation.Sigmoid),
            "activation_hard_sigmoid" or "activation_hard_sigmoid_keras2" =>
                ActivationFunction.Create(Activation.HardSigmoid, new ActivationSettings { HardSigmoidSlope = Param("slope") }),
            "activation_tanh" => ActivationFunction.Create(Activation.Tanh),
            "activation_softsign" => ActivationFunction.Create(Activation.Softsign),
            "activation_softplus" => ActivationFunction.Create(Activation.Softplus),
            "activation_relu" => ActivationFunction.Create(Activation.ReLU),
            "activation_leaky_relu" => ActivationFunction.Create(Activation.LeakyReLU, new ActivationSettings { LeakyReLUSlope = Param("alpha") }),
            "activation_thresholded_relu" => ActivationFunction.Create(Activation.ThresholdedReLU, new ActivationSettings { ThresholdedReLUTheta = Param("theta") }),
            "activation_elu" => ActivationFunction.Create(Activation.ELU, new ActivationSettings { ELUAlpha = Param("alpha") }),
            "activation_selu" => CheckSeluConstants(Param("scale"), Param("alpha")),
            "activation_gelu" => ActivationFunction.Create(Activation.GELU),
            "activation_gelu_tanh" => ActivationFunction.Create(Activation.GELU, new ActivationSettings { GeluApproximateTanh = true }),
            "activation_silu" => ActivationFunction.Create(Activation.SiLU),
            "activation_mish" => ActivationFunction.Create(Activation.Mish),
            _ => throw new ArgumentOutOfRangeException(nameof(file), file, "No activation for this file."),
        };
    }

    private static ActivationFunction CheckSeluConstants(float scale, float alpha)
    {
        Assert.Equal(SELU.Lambda, scale);
        Assert.Equal(SELU.Alpha, alpha);
        return ActivationFunction.Create(Activation.SELU);
    }
}
