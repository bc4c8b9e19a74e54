using ProbeGrid.Analysis.Transport;

namespace ProbeGrid.Tests.Transport;

public class SampleKindsTests
{
    [Fact]
    public void Kinds_are_counted_per_layer_against_the_last_layer()
    {
        // Four samples over three layers; θ = 0.5.
        double[][] w =
        [
            [0.1, 0.2, 0.9, 0.8], // layer 0
            [0.1, 0.9, 0.9, 0.2], // layer 1
            [0.1, 0.9, 0.9, 0.1], // last
        ];
        bool[][] valid = [[true, true, true, true], [true, true, true, true], [true, true, true, false]];
        var counts = SampleKinds.Count(w, valid, 0.5);
        // Sample 3 has no distance at the last layer: left out everywhere.
        Assert.Equal(new SampleKinds.Counts(Easy: 1, Confused: 1, Hard: 1, Samples: 3), counts[0]);
        Assert.Equal(new SampleKinds.Counts(Easy: 1, Confused: 0, Hard: 2, Samples: 3), counts[1]);
        Assert.Equal(new SampleKinds.Counts(Easy: 1, Confused: 0, Hard: 2, Samples: 3), counts[2]);
    }
}
