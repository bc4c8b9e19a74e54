using ProbeGrid.Analysis.Training;

namespace ProbeGrid.Tests.Training;

public class LogLinearScheduleTests
{
    [Fact]
    public void The_rate_falls_geometrically_from_the_first_value_to_the_last()
    {
        Assert.Equal(1e-3, LogLinearSchedule.At(1e-3, 1e-5, 0, 3), 1e-15);
        Assert.Equal(1e-4, LogLinearSchedule.At(1e-3, 1e-5, 1, 3), 1e-15);
        Assert.Equal(1e-5, LogLinearSchedule.At(1e-3, 1e-5, 2, 3), 1e-15);
        Assert.Equal(1e-3, LogLinearSchedule.At(1e-3, 1e-5, 0, 1)); // one epoch: the first rate
    }
}
