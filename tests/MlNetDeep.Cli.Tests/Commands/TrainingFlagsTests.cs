using System.CommandLine;
using MlNetDeep.Cli.Commands;

namespace MlNetDeep.Cli.Tests.Commands;

/// <summary>The training flags <c>train</c> and <c>tune</c> share: parsed once, written into every task's options.</summary>
public class TrainingFlagsTests
{
    private static TrainingFlags Parse(params string[] args)
    {
        var parser = new TrainingFlags.Parser();
        var result = parser.AddTo(new Command("verb")).Parse(args);
        Assert.Empty(result.Errors);
        return parser.Read(result);
    }

    [Fact]
    public void GivenFlagsAreWrittenIntoTheOptions()
    {
        var flags = Parse("--label-smoothing", "0.2", "--beta1", "0.85", "--beta2", "0.95", "--schedule", "FlatCosine");

        var multiclass = flags.ApplyTo(new FeedForwardMulticlassTrainer.Options());
        var binary = flags.ApplyTo(new FeedForwardBinaryTrainer.Options());

        Assert.Equal((0.2f, 0.85f, 0.95f, LearningRateSchedule.FlatCosine), (multiclass.LabelSmoothing, multiclass.Beta1, multiclass.Beta2, multiclass.LearningRateSchedule));
        Assert.Equal((0.2f, 0.85f, 0.95f, LearningRateSchedule.FlatCosine), (binary.LabelSmoothing, binary.Beta1, binary.Beta2, binary.LearningRateSchedule));
        var regression = Parse("--beta2", "0.98").ApplyTo(new FeedForwardRegressionTrainer.Options());
        Assert.Equal(0.98f, regression.Beta2);
    }

    [Fact]
    public void AbsentFlagsLeaveTheTrainersDefaults()
    {
        var flags = Parse();
        var options = flags.ApplyTo(new FeedForwardMulticlassTrainer.Options());

        Assert.Equal(new TrainingFlags(), flags);
        Assert.Equal(FeedForwardTrainerOptionsBase.Defaults.LabelSmoothing, options.LabelSmoothing);
        Assert.Equal(FeedForwardTrainerOptionsBase.Defaults.Beta1, options.Beta1);
        Assert.Equal(FeedForwardTrainerOptionsBase.Defaults.Beta2, options.Beta2);
        Assert.Equal(FeedForwardTrainerOptionsBase.Defaults.LearningRateSchedule, options.LearningRateSchedule);
    }

    [Fact]
    public void EveryScheduleIsAcceptedAndLabelSmoothingIsCheckedAgainstTheTask()
    {
        foreach (var schedule in Enum.GetNames<LearningRateSchedule>())
        {
            Assert.Equal(Enum.Parse<LearningRateSchedule>(schedule), Parse("--schedule", schedule).Schedule);
        }

        Parse("--label-smoothing", "0.1").CheckTask(Training.TaskKind.Binary);
        Parse("--label-smoothing", "0").CheckTask(Training.TaskKind.Regression);
        var error = Assert.Throws<CliException>(() => Parse("--label-smoothing", "0.1").CheckTask(Training.TaskKind.Regression));
        Assert.Equal(CliException.UsageError, error.ExitCode);
    }
}
