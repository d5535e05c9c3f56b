using System.Text.Json;

namespace MlNetDeep.Tests.TestUtilities;

/// <summary>Loads a golden-value file from the Reference folder copied beside the test assembly.</summary>
internal sealed class ReferenceData
{
    private readonly JsonElement _root;

    private ReferenceData(JsonElement root) => _root = root;

    public static ReferenceData Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", name.EndsWith(".json", StringComparison.Ordinal) ? name : name + ".json");
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        return new ReferenceData(document.RootElement.Clone());
    }

    public JsonElement Root => _root;

    public float[] Floats(string property) => ToFloats(_root.GetProperty(property));

    public double Double(string property) => _root.GetProperty(property).GetDouble();

    public int Int(string property) => _root.GetProperty(property).GetInt32();

    public static float[] ToFloats(JsonElement array)
    {
        var values = new float[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            values[i++] = (float)item.GetDouble();
        }

        return values;
    }
}
