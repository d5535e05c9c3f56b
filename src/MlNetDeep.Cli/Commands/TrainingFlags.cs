using System.CommandLine;
using System.Globalization;
using MlNetDeep.Training;

namespace MlNetDeep.Cli.Commands;

/// <summary>
/// The training options that <c>train</c> and <c>tune</c> share (<c>--label-smoothing</c>, <c>--beta1</c>,
/// <c>--beta2</c>, <c>--schedule</c>), declared once in <see cref="Parser"/>; a null value leaves the trainer's default.
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

    /// <summary>Throws a usage error when a flag does not apply to <paramref name="task"/>: label smoothing above 0 to regression.</summary>
    /// <exception cref="CliException">The flag and the task do not go together.</exception>
    public void CheckTask(TaskKind task)
    {
        if (task == TaskKind.Regression && LabelSmoothing is > 0f and var labelSmoothing)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"--label-smoothing applies to classification only; the task is regression. Received: --label-smoothing {labelSmoothing}."), CliException.UsageError);
        }
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

        /// <summary>Every option, in the order help lists them.</summary>
        public IReadOnlyList<Option> All => [_labelSmoothing, _beta1, _beta2, _schedule];

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
        };
    }
}
