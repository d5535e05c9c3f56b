using MlNetDeep.Internal;

namespace MlNetDeep.Tests.Internal;

public class ModelFormatTests
{
    private const string Assembly = "MlNetDeep";

    [Theory]
    [InlineData("SHORT")]
    [InlineData("NINECHARS")]
    [InlineData("")]
    public void ModelSignatureMustHaveEightCharacters(string signature)
    {
        var error = Assert.Throws<ArgumentException>(() => new ModelFormat(signature, 1, 1, 1, "Loader", Assembly));
        Assert.Equal("modelSignature", error.ParamName);
        Assert.Contains($"({signature.Length} characters)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoaderSignatureMustHaveAtMost24Characters()
    {
        _ = new ModelFormat("ABCDEFGH", 1, 1, 1, new string('x', 24), Assembly);
        var error = Assert.Throws<ArgumentException>(() => new ModelFormat("ABCDEFGH", 1, 1, 1, new string('x', 25), Assembly));
        Assert.Equal("loaderSignature", error.ParamName);
    }

    [Fact]
    public void LoaderAssemblyNameIsRequired()
    {
        Assert.Throws<ArgumentNullException>(() => new ModelFormat("ABCDEFGH", 1, 1, 1, "Loader", null!));
        Assert.Throws<ArgumentException>(() => new ModelFormat("ABCDEFGH", 1, 1, 1, "Loader", ""));
    }

    [Fact]
    public void VersionsMustBeOrdered()
    {
        Assert.Throws<ArgumentException>(() => new ModelFormat("ABCDEFGH", 0x00010001, 0x00010002, 0x00010001, "Loader", Assembly));
        Assert.Throws<ArgumentException>(() => new ModelFormat("ABCDEFGH", 0x00010001, 0x00010001, 0x00010002, "Loader", Assembly));
    }

    [Fact]
    public void KeepsEveryField()
    {
        var format = new ModelFormat("ABCDEFGH", 0x00010003, 0x00010002, 0x00010001, "Loader", Assembly);
        Assert.Equal("ABCDEFGH", format.ModelSignature);
        Assert.Equal(0x00010003u, format.VersionWritten);
        Assert.Equal(0x00010002u, format.VersionReadable);
        Assert.Equal(0x00010001u, format.VersionWeCanReadBack);
        Assert.Equal("Loader", format.LoaderSignature);
        Assert.Equal(Assembly, format.LoaderAssemblyName);
    }
}
