using System.Text;
using Microsoft.ML.Data;

namespace MlNetDeep.Cli.Data;

/// <summary>Serves CSV text held in memory to ML.NET's <c>TextLoader</c>.</summary>
internal sealed class TextSource : IMultiStreamSource
{
    private readonly byte[] _bytes;

    /// <summary>Wraps the text.</summary>
    public TextSource(string text)
    {
        _bytes = Encoding.UTF8.GetBytes(text);
    }

    /// <inheritdoc/>
    public int Count => 1;

    /// <inheritdoc/>
    public string? GetPathOrNull(int index) => null;

    /// <inheritdoc/>
    public Stream Open(int index) => new MemoryStream(_bytes, writable: false);

    /// <inheritdoc/>
    public TextReader OpenTextReader(int index) => new StreamReader(Open(index), Encoding.UTF8);
}
