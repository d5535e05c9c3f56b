using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MlNetDeep.Internal;

/// <summary>Reaches the ML.NET environment behind a catalog and its seed (both internal to ML.NET 5.0.1 and 6.0.0).</summary>
internal static class MlNetEnvironment
{
    /// <summary>The environment (the <c>MLContext</c>) that owns <paramref name="catalog"/>.</summary>
    public static IHostEnvironment Of(TrainCatalogBase.CatalogInstantiatorBase catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return ((IInternalCatalog)catalog).Environment;
    }

    /// <summary>The environment (the <c>MLContext</c>) that owns the transforms <paramref name="catalog"/>.</summary>
    public static IHostEnvironment Of(TransformsCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return ((IInternalCatalog)catalog).Environment;
    }

    /// <summary>The seed the <c>MLContext</c> was created with, or null when it has none.</summary>
    public static int? Seed(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment is IHostEnvironmentInternal withSeed ? withSeed.Seed : null;
    }
}
