using System.Runtime.CompilerServices;

// Types that moved from this assembly to MlNetDeep.Core, forwarded so code compiled against earlier versions still loads them.
[assembly: TypeForwardedTo(typeof(MlNetDeep.TrainingEpoch))]
