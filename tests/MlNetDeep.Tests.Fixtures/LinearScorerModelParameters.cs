using Microsoft.ML;
using Microsoft.ML.Runtime;
using MlNetDeep.Internal;
using MlNetDeep.Tests.Fixtures;
using MlNetDeep.Training;

[assembly: LoadableClass(typeof(LinearScorerModelParameters), null, typeof(SignatureLoadModel), "MlNetDeep Linear Scorer", LinearScorerModelParameters.LoaderSignature)]

namespace MlNetDeep.Tests.Fixtures;

/// <summary>
/// A one-output linear scorer (regression or binary classification score); see
/// <see cref="LinearScorerModelParametersBase{TOutput}"/>.
/// </summary>
internal sealed class LinearScorerModelParameters : LinearScorerModelParametersBase<float>
{
    /// <summary>The name registered with ML.NET's component catalog (at most 24 characters).</summary>
    public const string LoaderSignature = "MlNetDeepLinearScorer";

    // Version history: 0x00010001 = task, output count, feature count, weights, biases.
    private static readonly ModelFormat _format = new(
        modelSignature: "MLNDLINS",
        versionWritten: 0x00010001,
        versionReadable: 0x00010001,
        versionWeCanReadBack: 0x00010001,
        loaderSignature: LoaderSignature,
        loaderAssemblyName: typeof(LinearScorerModelParameters).Assembly.FullName!);

    /// <summary>Creates a scorer from its weights (one per feature) and bias.</summary>
    public LinearScorerModelParameters(IHostEnvironment environment, TaskKind task, ReadOnlySpan<float> weights, float bias)
        : base(environment, LoaderSignature, ValidateTask(task), weights, [bias])
    {
    }

    // ML.NET's catalog finds this constructor through the loader signature; a type must have either this
    // constructor or a static Create(IHostEnvironment, ModelLoadContext), not both.
    private LinearScorerModelParameters(IHostEnvironment environment, ModelLoadContext context)
        : base(environment, LoaderSignature, context, _format)
    {
    }

    /// <inheritdoc/>
    private protected override ModelFormat Format => _format;

    private static TaskKind ValidateTask(TaskKind task) => task is TaskKind.Regression or TaskKind.Binary
        ? task
        : throw new ArgumentException($"A one-output scorer is for regression or binary classification; received {task}.", nameof(task));
}
