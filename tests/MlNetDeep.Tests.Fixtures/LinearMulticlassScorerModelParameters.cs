using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MlNetDeep.Internal;
using MlNetDeep.Tests.Fixtures;
using MlNetDeep.Training;

[assembly: LoadableClass(typeof(LinearMulticlassScorerModelParameters), null, typeof(SignatureLoadModel), "MlNetDeep Linear Multiclass Scorer", LinearMulticlassScorerModelParameters.LoaderSignature)]

namespace MlNetDeep.Tests.Fixtures;

/// <summary>
/// A linear scorer with one output per class (multiclass classification); see
/// <see cref="LinearScorerModelParametersBase{TOutput}"/>.
/// </summary>
internal sealed class LinearMulticlassScorerModelParameters : LinearScorerModelParametersBase<VBuffer<float>>
{
    /// <summary>The name registered with ML.NET's component catalog (at most 24 characters).</summary>
    public const string LoaderSignature = "MlNetDeepLinearMultiScor";

    // Version history: 0x00010001 = task, output count, feature count, weights, biases.
    private static readonly ModelFormat _format = new(
        modelSignature: "MLNDLINM",
        versionWritten: 0x00010001,
        versionReadable: 0x00010001,
        versionWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(LinearMulticlassScorerModelParameters).Assembly.FullName!);

    /// <summary>Creates a scorer from its weights (row-major [classes, features]) and biases (one per class, at least two).</summary>
    public LinearMulticlassScorerModelParameters(IHostEnvironment environment, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases)
        : base(environment, LoaderSignature, TaskKind.Multiclass, weights, biases.Length >= 2
            ? biases
            : throw new ArgumentException($"A multiclass scorer needs at least two classes; received {biases.Length} biases.", nameof(biases)))
    {
    }

    // Found by ML.NET's catalog through the loader signature.
    private LinearMulticlassScorerModelParameters(IHostEnvironment environment, ModelLoadContext context)
        : base(environment, LoaderSignature, context, _format)
    {
    }

    /// <inheritdoc/>
    private protected override ModelFormat Format => _format;
}
