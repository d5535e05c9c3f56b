using MlNetDeep.Tuning;
using Xunit;

namespace MlNetDeep.Tests.Tuning;

public class ParameterSetTests
{
    private static readonly SearchSpace Space = new SearchSpace()
        .AddFloat("learningRate", 1e-4, 1e-1, logScale: true)
        .AddInt("units", 16, 512, logScale: true)
        .AddChoice("activation", "ReLU", "GELU", "SELU")
        .AddChoice("dropout", "off", "on")
        .AddFloat("dropoutRate", 0.1, 0.5).When("dropout", "on");

    [Fact]
    public void GettersReturnTypedValuesAndNameTheProblem()
    {
        var set = Space.Decode([1.0 / 3, 0.0, 0.5, 0.1, 0.5]);
        Assert.Equal(1e-3, set.GetDouble("learningRate"), 12);
        Assert.Equal(16, set.GetInt("units"));
        Assert.Equal(16.0, set.GetDouble("units"));
        Assert.Equal("GELU", set.GetString("activation"));
        Assert.True(set.Contains("dropout"));
        Assert.False(set.Contains("dropoutRate"));
        Assert.False(set.TryGet("dropoutRate", out var absent));
        Assert.Null(absent);
        Assert.True(set.TryGet("units", out var units));
        Assert.Equal(16, units);
        Assert.Equal(["learningRate", "units", "activation", "dropout"], set.Names);

        var missing = Assert.Throws<KeyNotFoundException>(() => set.GetDouble("dropoutRate"));
        Assert.Contains("'dropoutRate'", missing.Message, StringComparison.Ordinal);
        var wrongInt = Assert.Throws<InvalidCastException>(() => set.GetInt("learningRate"));
        Assert.Contains("'learningRate'", wrongInt.Message, StringComparison.Ordinal);
        Assert.Contains("0.001", wrongInt.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidCastException>(() => set.GetDouble("activation"));
        Assert.Throws<InvalidCastException>(() => set.GetString("units"));
    }

    [Fact]
    public void ToStringIsReadableAndEqualityIsByValue()
    {
        var set = Space.Decode([1.0 / 3, 0.0, 0.5, 0.9, 0.25]);
        Assert.Equal("learningRate=0.001, units=16, activation=GELU, dropout=on, dropoutRate=0.2", set.ToString());
        var same = Space.Decode([1.0 / 3, 0.0, 0.5, 0.9, 0.25]);
        Assert.Equal(set, same);
        Assert.Equal(set.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(set, Space.Decode([1.0 / 3, 0.0, 0.9, 0.9, 0.25]));
        Assert.NotEqual(set, Space.Decode([1.0 / 3, 0.0, 0.5, 0.1, 0.25]));
    }
}
