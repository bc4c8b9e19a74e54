using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Training;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Training;

namespace ProbeGrid.Tests.Follow;

/// <summary>
/// `probegrid train` as a followed run sees it: index.json lists a checkpoint only once its file is whole, and says
/// when the run has finished (not when it was interrupted; a continued run takes the mark back until it finishes).
/// </summary>
public sealed class TrainingIndexTests
{
    private static TrainingOptions Options(long steps) => new() { Steps = steps, BatchSize = 32, LearningRate = 1e-2, CheckpointEverySteps = 5, Seed = 11 };

    private static ModelDescriptor Descriptor() =>
        new("mlp", new Dictionary<string, string> { ["depth"] = "2", ["width"] = "16" }, [4], 2, 7, "separable-blobs");

    [Fact]
    public async Task Every_checkpoint_index_json_lists_is_whole_when_a_reader_first_sees_it_and_the_run_marks_its_end()
    {
        using var folder = new TempFolder();
        var data = SeparableData.Create(count: 256, dimensions: 4, seed: 3);
        using var model = Descriptor().CreateModel();
        var seen = new HashSet<string>();
        var problems = new List<string>();
        using var done = new CancellationTokenSource();
        // A reader polling as a following sweep does, while training writes.
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                CheckpointIndex? index;
                try { index = CheckpointIndex.TryLoad(folder.Path); }
                catch (CheckpointException e) { problems.Add("index.json read half-written: " + e.Message); continue; }
                foreach (var entry in index?.Entries ?? [])
                {
                    if (!seen.Add(entry.File)) continue;
                    try { CheckpointFile.CheckReadable(Path.Combine(folder.Path, entry.File)); }
                    catch (CheckpointException e) { problems.Add($"{entry.File} listed before it was whole: {e.Message}"); }
                }
            }
        });

        var report = ModelTrainer.Train(model, data, Options(40), folder.Path, Descriptor(), CancellationToken.None);
        done.Cancel();
        await reader;

        Assert.Empty(problems);
        Assert.Equal(9, report.CheckpointsWritten.Count); // steps 0, 5, ..., 40
        var final = CheckpointIndex.TryLoad(folder.Path)!;
        Assert.True(final.Finished);
        Assert.Equal(40, final.Entries[^1].Step);
        Assert.True(final.FinishedAt >= final.Entries[^1].WrittenAt);
        Assert.Empty(Directory.EnumerateFiles(folder.Path, "*.tmp")); // no temporary file left for a pattern to match
    }

    [Fact]
    public void An_interrupted_run_is_not_finished_and_continued_it_is_finished_at_its_end()
    {
        using var folder = new TempFolder();
        var data = SeparableData.Create(count: 256, dimensions: 4, seed: 3);
        using var cts = new CancellationTokenSource();
        using (var model = Descriptor().CreateModel())
        {
            var report = ModelTrainer.Train(model, data, Options(40), folder.Path, Descriptor(), cts.Token, new CancelAt(cts, 12));
            Assert.True(report.Cancelled);
        }
        Assert.False(CheckpointIndex.TryLoad(folder.Path)!.Finished);

        using (var model = Descriptor().CreateModel())
            Assert.False(ModelTrainer.Train(model, data, Options(40), folder.Path, Descriptor(), CancellationToken.None).Cancelled);
        Assert.True(CheckpointIndex.TryLoad(folder.Path)!.Finished);

        // Continued for more steps: unfinished while it trains (its first write drops the mark), finished again at its end.
        using (var model = Descriptor().CreateModel())
            ModelTrainer.Train(model, data, Options(50), folder.Path, Descriptor(), CancellationToken.None, new AssertUnfinished(folder.Path));
        var index = CheckpointIndex.TryLoad(folder.Path)!;
        Assert.True(index.Finished);
        Assert.Equal(50, index.Entries[^1].Step);
    }

    /// <summary>Cancels once training reports <paramref name="step"/> (synchronously, so the step is exact).</summary>
    private sealed class CancelAt(CancellationTokenSource cts, long step) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step >= step) cts.Cancel();
        }
    }

    private sealed class AssertUnfinished(string folder) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => Assert.False(CheckpointIndex.TryLoad(folder)!.Finished);
    }
}
