using System.Globalization;
using ActivationKind = MlNetDeep.Activation;
using EmbeddingKind = MlNetDeep.NumericEmbedding;
using InitializerKind = MlNetDeep.WeightInitializer;
using InputTransformKind = MlNetDeep.InputTransform;
using NormalizationKind = MlNetDeep.Normalization;
using OptimizerKind = MlNetDeep.Optimizer;
using TaskKind = MlNetDeep.Training.TaskKind;

namespace MlNetDeep.Tuning;

/// <summary>
/// The search-space parameter names the FeedForward tuner understands, the default space over them, and how a
/// <see cref="ParameterSet"/> is written into the trainer's options.
/// </summary>
/// <remarks>
/// <para>
/// A tuning space may hold any subset of these names; an option whose name is absent keeps the value of
/// <see cref="FeedForwardTuningOptions.BaseOptions"/>. Numbers may be float or int parameters, or choices whose
/// values are numbers (e.g. <c>AddChoice(BatchSize, "64", "256")</c>); enum options are choices of enum names.
/// </para>
/// <para>
/// Narrow the default by building a space with fewer or smaller parameters, for example a fixed activation:
/// </para>
/// <code>
/// var space = new SearchSpace()
///     .AddFloat(FeedForwardSearchSpace.LearningRate, 1e-3, 1e-2, logScale: true)
///     .AddInt(FeedForwardSearchSpace.Units, 64, 256, logScale: true)
///     .AddChoice(FeedForwardSearchSpace.Activation, "GELU");
/// </code>
/// </remarks>
public static class FeedForwardSearchSpace
{
    /// <summary>Float: <c>LearningRate</c>.</summary>
    public const string LearningRate = "learningRate";

    /// <summary>
    /// Int: the number of hidden layers, each <see cref="Units"/> wide (without <see cref="Units"/>: the base options'
    /// first width). Setting either replaces <c>HiddenLayers</c> and clears the per-layer <c>Layers</c>.
    /// </summary>
    public const string Layers = "layers";

    /// <summary>Int: the width of every hidden layer (the base options' depth when <see cref="Layers"/> is absent).</summary>
    public const string Units = "units";

    /// <summary>Choice of <see cref="MlNetDeep.Activation"/> names: <c>Activation</c>.</summary>
    public const string Activation = "activation";

    /// <summary>Choice of <see cref="MlNetDeep.Normalization"/> names: <c>Normalization</c>.</summary>
    public const string Normalization = "normalization";

    /// <summary>Choice of <c>off</c>/<c>on</c>: <c>off</c> sets <c>DropoutRate</c> to 0, <c>on</c> to <see cref="DropoutRate"/> (or the base options' rate).</summary>
    public const string Dropout = "dropout";

    /// <summary>Float: <c>DropoutRate</c> (usually conditional: <c>.When(Dropout, "on")</c>).</summary>
    public const string DropoutRate = "dropoutRate";

    /// <summary>Choice of <see cref="MlNetDeep.WeightInitializer"/> names: <c>WeightInitializer</c>.</summary>
    public const string WeightInitializer = "weightInitializer";

    /// <summary>Int: <c>BatchSize</c>.</summary>
    public const string BatchSize = "batchSize";

    /// <summary>Float: <c>L2Regularization</c>.</summary>
    public const string L2Regularization = "l2Regularization";

    /// <summary>Choice of <see cref="MlNetDeep.Optimizer"/> names: <c>Optimizer</c> (not in the default space).</summary>
    public const string Optimizer = "optimizer";

    /// <summary>Float: <c>Momentum</c> (not in the default space).</summary>
    public const string Momentum = "momentum";

    /// <summary>Float: <c>InputDropoutRate</c> (not in the default space).</summary>
    public const string InputDropoutRate = "inputDropoutRate";

    /// <summary>Int: <c>NumberOfEpochs</c> (not in the default space).</summary>
    public const string NumberOfEpochs = "numberOfEpochs";

    /// <summary>Float: <c>GradientClipNorm</c> (not in the default space).</summary>
    public const string GradientClipNorm = "gradientClipNorm";

    /// <summary>Choice of <see cref="MlNetDeep.InputTransform"/> names: <c>InputTransform</c>.</summary>
    public const string InputTransform = "inputTransform";

    /// <summary>Choice of <see cref="MlNetDeep.NumericEmbedding"/> names: <c>NumericEmbedding</c>.</summary>
    public const string NumericEmbedding = "numericEmbedding";

    /// <summary>Int: <c>EmbeddingDimension</c> (not in the default space).</summary>
    public const string EmbeddingDimension = "embeddingDimension";

    /// <summary>
    /// Float: <c>EmbeddingFrequencyScale</c>, best on a log scale; used by the periodic embeddings only (in the default
    /// space: <c>.When(NumericEmbedding, "Periodic", "PeriodicLite")</c>).
    /// </summary>
    public const string EmbeddingFrequencyScale = "embeddingFrequencyScale";

    /// <summary>Int: <c>EmbeddingBins</c>; used by the piecewise-linear embedding only (in the default space: <c>.When(NumericEmbedding, "PiecewiseLinear")</c>).</summary>
    public const string EmbeddingBins = "embeddingBins";

    /// <summary>Int: <c>EnsembleSize</c> (in the default space, a choice of <c>"1"</c> and <c>"4"</c>).</summary>
    public const string EnsembleSize = "ensembleSize";

    /// <summary>
    /// Float: <c>LabelSmoothing</c>, applied to classification trainers and ignored by regression (in the default space
    /// of the classification tasks only).
    /// </summary>
    public const string LabelSmoothing = "labelSmoothing";

    /// <summary>Float: Adam's <c>Beta2</c> (not in the default space).</summary>
    public const string Beta2 = "beta2";

    private const string On = "on";
    private const string Off = "off";

    // Every name the tuner understands, with what it accepts and how it writes the options.
    private static readonly Dictionary<string, Binding> Bindings = new(StringComparer.Ordinal)
    {
        [LearningRate] = Number((o, v) => o.LearningRate = (float)v),
        [Layers] = Number(null),
        [Units] = Number(null),
        [Activation] = Enum<ActivationKind>((o, v) => o.Activation = v),
        [Normalization] = Enum<NormalizationKind>((o, v) => o.Normalization = v),
        [Dropout] = new(IsOnOff, null),
        [DropoutRate] = Number(null),
        [WeightInitializer] = Enum<InitializerKind>((o, v) => o.WeightInitializer = v),
        [BatchSize] = Number((o, v) => o.BatchSize = ToInt(v)),
        [L2Regularization] = Number((o, v) => o.L2Regularization = (float)v),
        [Optimizer] = Enum<OptimizerKind>((o, v) => o.Optimizer = v),
        [Momentum] = Number((o, v) => o.Momentum = (float)v),
        [InputDropoutRate] = Number((o, v) => o.InputDropoutRate = (float)v),
        [NumberOfEpochs] = Number((o, v) => o.NumberOfEpochs = ToInt(v)),
        [GradientClipNorm] = Number((o, v) => o.GradientClipNorm = (float)v),
        [InputTransform] = Enum<InputTransformKind>((o, v) => o.InputTransform = v),
        [NumericEmbedding] = Enum<EmbeddingKind>((o, v) => o.NumericEmbedding = v),
        [EmbeddingDimension] = Number((o, v) => o.EmbeddingDimension = ToInt(v)),
        [EmbeddingFrequencyScale] = Number((o, v) => o.EmbeddingFrequencyScale = (float)v),
        [EmbeddingBins] = Number((o, v) => o.EmbeddingBins = ToInt(v)),
        [EnsembleSize] = Number((o, v) => o.EnsembleSize = ToInt(v)),
        [LabelSmoothing] = Number((o, v) =>
        {
            switch (o)
            {
                case FeedForwardMulticlassTrainer.Options multiclass:
                    multiclass.LabelSmoothing = (float)v;
                    break;
                case FeedForwardBinaryTrainer.Options binary:
                    binary.LabelSmoothing = (float)v;
                    break;
            }
        }),
        [Beta2] = Number((o, v) => o.Beta2 = (float)v),
    };

    /// <summary>Every parameter name the tuner understands, in the order documented on the constants.</summary>
    public static IReadOnlyCollection<string> SupportedNames => Bindings.Keys;

    /// <summary>
    /// The default space of every task: <see cref="CreateDefault(TaskKind)"/> without <see cref="LabelSmoothing"/>, which
    /// only the classification tasks search.
    /// </summary>
    /// <returns>A new space, which the caller may extend or narrow (<see cref="SearchSpace.Without(string[])"/>).</returns>
    public static SearchSpace CreateDefault() => CreateDefault(TaskKind.Regression);

    /// <summary>
    /// The default space of <paramref name="task"/>, which the tuner searches when
    /// <see cref="FeedForwardTuningOptions.SearchSpace"/> is <see langword="null"/>. In this order:
    /// <list type="table">
    /// <listheader><term>Parameter</term><description>Values (and the condition under which it exists)</description></listheader>
    /// <item><term><see cref="LearningRate"/></term><description>float in [1e-4, 3e-2], log scale.</description></item>
    /// <item><term><see cref="Layers"/></term><description>int in [1, 4].</description></item>
    /// <item><term><see cref="Units"/></term><description>int in [32, 512], log scale.</description></item>
    /// <item><term><see cref="Activation"/></term><description>ReLU, GELU, SELU, SiLU, Tanh or LeakyReLU.</description></item>
    /// <item><term><see cref="Normalization"/></term><description>None, BatchNorm or LayerNorm.</description></item>
    /// <item><term><see cref="Dropout"/></term><description>off or on.</description></item>
    /// <item><term><see cref="DropoutRate"/></term><description>float in [0.05, 0.5], when dropout is on.</description></item>
    /// <item><term><see cref="WeightInitializer"/></term><description>Auto, HeNormal, XavierUniform or LeCunNormal.</description></item>
    /// <item><term><see cref="BatchSize"/></term><description>int in [32, 512], log scale.</description></item>
    /// <item><term><see cref="L2Regularization"/></term><description>float in [1e-6, 1e-2], log scale.</description></item>
    /// <item><term><see cref="InputTransform"/></term><description>Standardize, RobustSmoothClip or Quantile.</description></item>
    /// <item><term><see cref="NumericEmbedding"/></term><description>None, Periodic, PeriodicLite or PiecewiseLinear.</description></item>
    /// <item><term><see cref="EmbeddingFrequencyScale"/></term><description>float in [0.01, 10], log scale, when the embedding is Periodic or PeriodicLite (the range of the TabM and rtdl searches).</description></item>
    /// <item><term><see cref="EmbeddingBins"/></term><description>int in [8, 64], log scale, when the embedding is PiecewiseLinear.</description></item>
    /// <item><term><see cref="EnsembleSize"/></term><description>1 (a single network) or 4 members.</description></item>
    /// <item><term><see cref="LabelSmoothing"/></term><description>float in [0, 0.2], for <see cref="TaskKind.Multiclass"/> and <see cref="TaskKind.Binary"/> only.</description></item>
    /// </list>
    /// </summary>
    /// <remarks>
    /// <para>
    /// A conditional parameter is drawn, and written into the options, only when its parent takes one of the given
    /// values; otherwise the trial leaves that option at its base value (with a <c>Periodic</c> trial, for example,
    /// <c>EmbeddingBins</c> keeps the base options' value). The Bayesian optimizer's model sees an inactive parameter as
    /// the fixed coordinate 0, so trials that share the parent's value are compared on the parameters they used (see
    /// <see cref="SearchSpace"/>). <c>EmbeddingDimension</c> and <c>EmbeddingFrequencies</c> are not searched: they keep
    /// the base options' values (16 and 16 by default), which keeps the space small.
    /// </para>
    /// <para>
    /// An ensemble of 4 costs about 4 times the compute of a single network per trial; on more than
    /// <see cref="FeedForwardTrainerOptionsBase.Defaults.AutomaticEnsembleMaxRows"/> rows a single network was as
    /// accurate where measured, so a search on large data may drop the parameter
    /// (<c>CreateDefault(task).Without(FeedForwardSearchSpace.EnsembleSize)</c>) to keep the automatic choice.
    /// </para>
    /// <para>
    /// When the rows go into the network sparse (the base options' <c>DataLoading</c> is <c>Sparse</c>, or <c>Auto</c>
    /// with a feature column whose first row is a sparse vector), the tuner searches this space without
    /// <see cref="InputTransform"/>, <see cref="NumericEmbedding"/> (and its conditional parameters) and
    /// <see cref="EnsembleSize"/>: a sparse network takes none of them.
    /// </para>
    /// </remarks>
    /// <param name="task">The task; only classification searches <see cref="LabelSmoothing"/>.</param>
    /// <returns>A new space, which the caller may extend or narrow (<see cref="SearchSpace.Without(string[])"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="task"/> is not a task.</exception>
    public static SearchSpace CreateDefault(TaskKind task)
    {
        if (!System.Enum.IsDefined(task))
        {
            throw new ArgumentOutOfRangeException(nameof(task), task, $"The task must be Multiclass, Binary or Regression. Received: task={task}.");
        }

        var space = new SearchSpace()
            .AddFloat(LearningRate, 1e-4, 3e-2, logScale: true)
            .AddInt(Layers, 1, 4)
            .AddInt(Units, 32, 512, logScale: true)
            .AddChoice(Activation, nameof(ActivationKind.ReLU), nameof(ActivationKind.GELU), nameof(ActivationKind.SELU), nameof(ActivationKind.SiLU), nameof(ActivationKind.Tanh), nameof(ActivationKind.LeakyReLU))
            .AddChoice(Normalization, nameof(NormalizationKind.None), nameof(NormalizationKind.BatchNorm), nameof(NormalizationKind.LayerNorm))
            .AddChoice(Dropout, Off, On)
            .AddFloat(DropoutRate, 0.05, 0.5).When(Dropout, On)
            .AddChoice(WeightInitializer, nameof(InitializerKind.Auto), nameof(InitializerKind.HeNormal), nameof(InitializerKind.XavierUniform), nameof(InitializerKind.LeCunNormal))
            .AddInt(BatchSize, 32, 512, logScale: true)
            .AddFloat(L2Regularization, 1e-6, 1e-2, logScale: true)
            .AddChoice(InputTransform, nameof(InputTransformKind.Standardize), nameof(InputTransformKind.RobustSmoothClip), nameof(InputTransformKind.Quantile))
            .AddChoice(NumericEmbedding, nameof(EmbeddingKind.None), nameof(EmbeddingKind.Periodic), nameof(EmbeddingKind.PeriodicLite), nameof(EmbeddingKind.PiecewiseLinear))
            .AddFloat(EmbeddingFrequencyScale, 0.01, 10, logScale: true).When(NumericEmbedding, nameof(EmbeddingKind.Periodic), nameof(EmbeddingKind.PeriodicLite))
            .AddInt(EmbeddingBins, 8, 64, logScale: true).When(NumericEmbedding, nameof(EmbeddingKind.PiecewiseLinear))
            .AddChoice(EnsembleSize, "1", "4");
        return task == TaskKind.Regression ? space : space.AddFloat(LabelSmoothing, 0, 0.2);
    }

    /// <summary>The parameters of the default space that a network taking sparse rows cannot use.</summary>
    internal static readonly string[] DenseOnly = [InputTransform, NumericEmbedding, EnsembleSize];

    /// <summary>
    /// Checks that every parameter of <paramref name="space"/> is a supported name of an accepted kind, with choice
    /// values the option can take.
    /// </summary>
    /// <exception cref="ArgumentException">Names the parameter and says what was expected.</exception>
    internal static void Validate(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        foreach (var parameter in space.Parameters)
        {
            if (!Bindings.TryGetValue(parameter.Name, out var binding))
            {
                throw new ArgumentException($"The search space parameter '{parameter.Name}' is not a FeedForward option. Supported names: {string.Join(", ", SupportedNames)}.", "options");
            }

            if (!binding.Accepts(parameter))
            {
                throw new ArgumentException($"The search space parameter {parameter} cannot set its option: {binding.Expected}.", "options");
            }
        }
    }

    /// <summary>Writes the values of <paramref name="parameters"/> into <paramref name="options"/>; absent names leave their options alone.</summary>
    internal static void Apply(ParameterSet parameters, FeedForwardTrainerOptionsBase options)
    {
        foreach (var name in parameters.Names)
        {
            Bindings[name].Apply?.Invoke(options, parameters, name);
        }

        var hasLayers = parameters.Contains(Layers);
        var hasUnits = parameters.Contains(Units);
        if (hasLayers || hasUnits)
        {
            var baseLayers = options.HiddenLayers ?? [];
            var depth = hasLayers ? ToInt(ReadNumber(parameters, Layers)) : baseLayers.Length;
            var width = hasUnits ? ToInt(ReadNumber(parameters, Units)) : baseLayers.FirstOrDefault(64);
            options.HiddenLayers = [.. Enumerable.Repeat(width, depth)];
            options.Layers = null;
        }

        if (parameters.TryGet(Dropout, out var dropout))
        {
            options.DropoutRate = (string)dropout! == Off ? 0f
                : parameters.Contains(DropoutRate) ? (float)ReadNumber(parameters, DropoutRate)
                : options.DropoutRate;
        }
        else if (parameters.Contains(DropoutRate))
        {
            options.DropoutRate = (float)ReadNumber(parameters, DropoutRate);
        }
    }

    private static Binding Number(Action<FeedForwardTrainerOptionsBase, double>? apply) => new(
        p => p.Kind != ParameterKind.Choice || p.Choices.All(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _)),
        apply is null ? null : (o, p, name) => apply(o, ReadNumber(p, name)),
        "a float or int parameter, or a choice of numbers");

    private static Binding Enum<TEnum>(Action<FeedForwardTrainerOptionsBase, TEnum> apply)
        where TEnum : struct, System.Enum => new(
        p => p.Kind == ParameterKind.Choice && p.Choices.All(c => System.Enum.TryParse<TEnum>(c, ignoreCase: false, out _) && !int.TryParse(c, out _)),
        (o, p, name) => apply(o, System.Enum.Parse<TEnum>(p.GetString(name))),
        $"a choice of {typeof(TEnum).Name} names ({string.Join(", ", System.Enum.GetNames<TEnum>())})");

    private static bool IsOnOff(SearchParameter parameter) =>
        parameter.Kind == ParameterKind.Choice && parameter.Choices.All(c => c is On or Off);

    private static double ReadNumber(ParameterSet parameters, string name)
    {
        parameters.TryGet(name, out var value);
        return value is string text ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : parameters.GetDouble(name);
    }

    private static int ToInt(double value) => (int)Math.Round(value, MidpointRounding.AwayFromZero);

    private sealed record Binding(Func<SearchParameter, bool> Accepts, Action<FeedForwardTrainerOptionsBase, ParameterSet, string>? Apply, string Expected = "a choice of off, on");
}
