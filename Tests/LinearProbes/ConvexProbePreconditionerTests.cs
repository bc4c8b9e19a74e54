using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

/// <summary>Starting L-BFGS from the features' curvature changes the path to the optimum, not the optimum.</summary>
public class ConvexProbePreconditionerTests
{
    /// <summary>Blob features mixed by a matrix with singular values 1 to 1/30: strongly correlated after standardisation.</summary>
    private static ProbeProblem Correlated(int seed)
    {
        var blobs = ProbeProblem.Blobs("mixed", dimensions: 12, classes: 4, separation: 1.5, noise: 1, train: 400, validation: 100, test: 100, seed: seed);
        var random = new Random(seed + 7);
        var mixing = Enumerable.Range(0, 12 * 12).Select(i => (i / 12 == i % 12 ? 1.0 : 0.0) + 0.9 * (random.NextDouble() - 0.5)).ToArray();
        FeatureMatrix Mix(FeatureMatrix m)
        {
            var data = new float[m.Rows * 12];
            for (var r = 0; r < m.Rows; r++)
            {
                var row = m.Row(r);
                for (var j = 0; j < 12; j++)
                {
                    double sum = 0;
                    for (var i = 0; i < 12; i++) sum += row[i] * mixing[i * 12 + j] * Math.Pow(30, -i / 11.0);
                    data[r * 12 + j] = (float)sum;
                }
            }
            return new FeatureMatrix(data, m.Rows, 12);
        }
        return blobs with { Layer = new LayerFeatures("mixed", Mix(blobs.Layer.Train), Mix(blobs.Layer.Validation), Mix(blobs.Layer.Test)) };
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_preconditioned_solve_reaches_the_same_optimum_of_every_head_in_fewer_iterations(bool labelSets)
    {
        var problem = Correlated(seed: 11);
        var options = new OptimalProbeOptions
        {
            L2Grid = [1e-5, 1e-3, 1e-1], GradientTolerance = 1e-10, ObjectiveTolerance = 0, AbandonLosingStrengths = false,
        };
        (OptimalProbeResult Result, double[][] Heads) Solve(bool preconditioned)
        {
            double[][] heads = [];
            ProbeTargets Targets(long[] labels) => labelSets
                ? ProbeTargets.Sets(labels.SelectMany(l => Enumerable.Range(0, 4).Select(c => c == l || c == (l + 1) % 4 ? 1f : 0f)).ToArray(), 4)
                : ProbeTargets.Classes(labels);
            var result = ConvexProbeSolver.Solve(problem.Layer, Targets(problem.TrainLabels), Targets(problem.ValidationLabels), Targets(problem.TestLabels),
                problem.Classes, options with { Preconditioned = preconditioned }, null, CancellationToken.None, null, observed => heads = observed);
            return (result, heads);
        }

        var (plain, plainHeads) = Solve(false);
        var (preconditioned, preconditionedHeads) = Solve(true);

        for (var k = 0; k < options.L2Grid.Count; k++)
        {
            Assert.True(preconditioned.Candidates[k].Converged && plain.Candidates[k].Converged);
            Assert.Equal(plain.Candidates[k].Objective, preconditioned.Candidates[k].Objective, 1e-12);
            for (var i = 0; i < plainHeads[k].Length; i++) Assert.Equal(plainHeads[k][i], preconditionedHeads[k][i], 1e-6);
        }
        Assert.True(2 * preconditioned.Candidates.Sum(c => c.Iterations) < plain.Candidates.Sum(c => c.Iterations),
            $"preconditioned {string.Join("/", preconditioned.Candidates.Select(c => c.Iterations))} vs plain {string.Join("/", plain.Candidates.Select(c => c.Iterations))}");
    }
}
