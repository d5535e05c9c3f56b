using System.CommandLine;
using System.Globalization;
using MlNetDeep.Training;

namespace MlNetDeep.Cli.Commands;

/// <summary>
/// The training options that <c>train</c> and <c>tune</c> share (<c>--label-smoothing</c>, <c>--beta1</c>,
/// <c>--beta2</c>, <c>--schedule</c>, <c>--ensemble</c>, <c>--input-transform</c>, <c>--embedding</c> and the embedding's sizes), declared once in <see cref="Parser"/>; a null value leaves the trainer's default.
/// </summary>
internal sealed record TrainingFlags
{
    /// <summary>The label smoothing of classification.</summary>
    public float? LabelSmoothing { get; init; }

    /// <summary>Adam's and AdamW's β₁.</summary>
    public float? Beta1 { get; init; }

    /// <summary>Adam's and AdamW's β₂.</summary>
    public float? Beta2 { get; init; }

    /// <summary>The learning-rate schedule.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>The ensemble's members.</summary>
    public int? EnsembleSize { get; init; }

    /// <summary>The input transform.</summary>
    public InputTransform? InputTransform { get; init; }

    /// <summary>The numeric embedding.</summary>
    public NumericEmbedding? NumericEmbedding { get; init; }

    /// <summary>Values per feature of the embedding.</summary>
    public int? EmbeddingDimension { get; init; }

    /// <summary>Frequencies per feature of the periodic embeddings.</summary>
    public int? EmbeddingFrequencies { get; init; }

    /// <summary>σ of the periodic embeddings' initial frequencies.</summary>
    public float? EmbeddingFrequencyScale { get; init; }

    /// <summary>Bins per feature of the piecewise-linear embedding.</summary>
    public int? EmbeddingBins { get; init; }

    /// <summary>Throws a usage error when a flag does not apply to <paramref name="task"/>: label smoothing above 0 to regression.</summary>
    /// <exception cref="CliException">The flag and the task do not go together.</exception>
    public void CheckTask(TaskKind task)
    {
        if (task == TaskKind.Regression && LabelSmoothing is > 0f and var labelSmoothing)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--label-smoothing applies to classification only; the task is regression. Received: --label-smoothing {labelSmoothing}."), CliException.UsageError);
        }
    }

    /// <summary>
    /// The tuning parameters (<see cref="Tuning.FeedForwardSearchSpace"/> names) whose options the given flags set, so
    /// that a search can leave them at the flags' values.
    /// </summary>
    public IReadOnlyList<string> SearchParametersSet()
    {
        var names = new List<string>();
        void AddIf(bool given, string name)
        {
            if (given)
            {
                names.Add(name);
            }
        }

        AddIf(LabelSmoothing is not null, Tuning.FeedForwardSearchSpace.LabelSmoothing);
        AddIf(Beta2 is not null, Tuning.FeedForwardSearchSpace.Beta2);
        AddIf(EnsembleSize is not null, Tuning.FeedForwardSearchSpace.EnsembleSize);
        AddIf(InputTransform is not null, Tuning.FeedForwardSearchSpace.InputTransform);
        AddIf(NumericEmbedding is not null, Tuning.FeedForwardSearchSpace.NumericEmbedding);
        AddIf(EmbeddingDimension is not null, Tuning.FeedForwardSearchSpace.EmbeddingDimension);
        AddIf(EmbeddingFrequencyScale is not null, Tuning.FeedForwardSearchSpace.EmbeddingFrequencyScale);
        AddIf(EmbeddingBins is not null, Tuning.FeedForwardSearchSpace.EmbeddingBins);
        return names;
    }

    /// <summary>Writes every flag that was given into <paramref name="options"/> and returns them.</summary>
    public T ApplyTo<T>(T options)
        where T : FeedForwardTrainerOptionsBase
    {
        if (LabelSmoothing is { } labelSmoothing)
        {
            switch (options)
            {
                case FeedForwardMulticlassTrainer.Options multiclass:
                    multiclass.LabelSmoothing = labelSmoothing;
                    break;
                case FeedForwardBinaryTrainer.Options binary:
                    binary.LabelSmoothing = labelSmoothing;
                    break;
            }
        }

        options.Beta1 = Beta1 ?? options.Beta1;
        options.Beta2 = Beta2 ?? options.Beta2;
        options.LearningRateSchedule = Schedule ?? options.LearningRateSchedule;
        options.EnsembleSize = EnsembleSize ?? options.EnsembleSize;
        options.InputTransform = InputTransform ?? options.InputTransform;
        options.NumericEmbedding = NumericEmbedding ?? options.NumericEmbedding;
        options.EmbeddingDimension = EmbeddingDimension ?? options.EmbeddingDimension;
        options.EmbeddingFrequencies = EmbeddingFrequencies ?? options.EmbeddingFrequencies;
        options.EmbeddingFrequencyScale = EmbeddingFrequencyScale ?? options.EmbeddingFrequencyScale;
        options.EmbeddingBins = EmbeddingBins ?? options.EmbeddingBins;
        return options;
    }

    /// <summary>The command-line options of the flags, to add to a verb, and how to read them back.</summary>
    public sealed class Parser
    {
        private readonly Option<float?> _labelSmoothing = OptionParsing.InRange(
            new Option<float?>("--label-smoothing") { Description = $"Label smoothing eps of classification, in [0, 1): the targets become (1 - eps)*onehot + eps/classes, for binary y*(1 - eps) + eps/2 (default: {FeedForwardTrainerOptionsBase.Defaults.LabelSmoothing.ToString(CultureInfo.InvariantCulture)})." },
            0f,
            1f,
            maxExclusive: true);

        private readonly Option<float?> _beta1 = OptionParsing.InRange(
            new Option<float?>("--beta1") { Description = $"Adam's and AdamW's decay rate of the gradient mean, in [0, 1) (default: {FeedForwardTrainerOptionsBase.Defaults.Beta1.ToString(CultureInfo.InvariantCulture)})." },
            0f,
            1f,
            maxExclusive: true);

        private readonly Option<float?> _beta2 = OptionParsing.InRange(
            new Option<float?>("--beta2") { Description = $"Adam's and AdamW's decay rate of the squared-gradient mean, in [0, 1) (default: {FeedForwardTrainerOptionsBase.Defaults.Beta2.ToString(CultureInfo.InvariantCulture)})." },
            0f,
            1f,
            maxExclusive: true);

        private readonly Option<LearningRateSchedule?> _schedule = new("--schedule")
        {
            Description = $"Learning-rate schedule: {string.Join(", ", Enum.GetNames<LearningRateSchedule>())} (default: {FeedForwardTrainerOptionsBase.Defaults.LearningRateSchedule}).",
            HelpName = "name",
        };

        private readonly Option<int?> _ensemble = OptionParsing.InRange(
            new Option<int?>("--ensemble") { Description = $"Members of a parameter-efficient ensemble sharing every weight matrix; 1 is a single network (default: {FeedForwardTrainerOptionsBase.Defaults.AutomaticEnsembleSize}, or 1 when the rows go in sparse)." },
            1,
            1024);

        private readonly Option<InputTransform?> _inputTransform = new("--input-transform")
        {
            Description = $"How features are mapped before the first layer: {string.Join(", ", Enum.GetNames<InputTransform>())} (default: {FeedForwardTrainerOptionsBase.Defaults.InputTransform}).",
            HelpName = "name",
        };

        private readonly Option<NumericEmbedding?> _embedding = new("--embedding")
        {
            Description = $"Numeric feature embedding: {string.Join(", ", Enum.GetNames<NumericEmbedding>())} (default: automatic, {FeedForwardTrainerOptionsBase.Defaults.AutomaticNumericEmbedding} up to {FeedForwardTrainerOptionsBase.Defaults.AutomaticEmbeddingMaxFeatures} dense features, else None).",
            HelpName = "name",
        };

        private readonly Option<int?> _embeddingDimension = OptionParsing.InRange(
            new Option<int?>("--embedding-dimension") { Description = $"Values per feature of the embedding (default: {FeedForwardTrainerOptionsBase.Defaults.EmbeddingDimension})." },
            1,
            4096);

        private readonly Option<int?> _embeddingFrequencies = OptionParsing.InRange(
            new Option<int?>("--embedding-frequencies") { Description = $"Frequencies per feature of the periodic embeddings (default: {FeedForwardTrainerOptionsBase.Defaults.EmbeddingFrequencies})." },
            1,
            4096);

        private readonly Option<float?> _embeddingScale = OptionParsing.InRange(
            new Option<float?>("--embedding-scale") { Description = $"Standard deviation of the periodic embeddings' initial frequencies (default: {FeedForwardTrainerOptionsBase.Defaults.EmbeddingFrequencyScale.ToString(CultureInfo.InvariantCulture)})." },
            1e-6f,
            1e6f);

        private readonly Option<int?> _embeddingBins = OptionParsing.InRange(
            new Option<int?>("--embedding-bins") { Description = $"Quantile bins per feature of the piecewise-linear embedding (default: {FeedForwardTrainerOptionsBase.Defaults.EmbeddingBins})." },
            2,
            4096);

        /// <summary>Every option, in the order help lists them.</summary>
        public IReadOnlyList<Option> All => [_labelSmoothing, _beta1, _beta2, _schedule, _ensemble, _inputTransform, _embedding, _embeddingDimension, _embeddingFrequencies, _embeddingScale, _embeddingBins];

        /// <summary>Adds every option to <paramref name="command"/> and returns it.</summary>
        public Command AddTo(Command command)
        {
            foreach (var option in All)
            {
                command.Options.Add(option);
            }

            return command;
        }

        /// <summary>The flags given on the command line.</summary>
        public TrainingFlags Read(ParseResult result) => new()
        {
            LabelSmoothing = result.GetValue(_labelSmoothing),
            Beta1 = result.GetValue(_beta1),
            Beta2 = result.GetValue(_beta2),
            Schedule = result.GetValue(_schedule),
            EnsembleSize = result.GetValue(_ensemble),
            InputTransform = result.GetValue(_inputTransform),
            NumericEmbedding = result.GetValue(_embedding),
            EmbeddingDimension = result.GetValue(_embeddingDimension),
            EmbeddingFrequencies = result.GetValue(_embeddingFrequencies),
            EmbeddingFrequencyScale = result.GetValue(_embeddingScale),
            EmbeddingBins = result.GetValue(_embeddingBins),
        };
    }
}
