using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Training;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Tests.Grid;

namespace ProbeGrid.Tests.Follow;

/// <summary>
/// A stand-in for a training run that a sweep follows: it writes <see cref="GridTestRun"/>'s checkpoints into a folder
/// slowly, in chunks straight into the final file name (no temporary file), so a reader that does not wait for a whole
/// file would read one half-written; with <c>index</c> it lists each in index.json once written, as `probegrid train` does.
/// </summary>
internal sealed class SlowTrainingRun(string folder, bool index, int chunks = 4, int chunkPauseMs = 150)
{
    public string Folder => folder;

    /// <summary>model.json only: the run has begun and written no checkpoint yet.</summary>
    public static SlowTrainingRun Begin(string root, bool index, int chunks = 4, int chunkPauseMs = 150)
    {
        var folder = GridTestRun.WriteCheckpoints(root, 0);
        return new SlowTrainingRun(folder, index, chunks, chunkPauseMs);
    }

    /// <summary>Writes checkpoint <paramref name="i"/> (step 10·i) with the weights of checkpoint <paramref name="weightsOf"/> (default i: distinct).</summary>
    public void Write(int i, int? weightsOf = null, int? truncateTo = null)
    {
        var bytes = Bytes(weightsOf ?? i);
        if (truncateTo is { } length) bytes = bytes[..length];
        var file = ModelTrainer.CheckpointFileName(10 * i);
        using (var stream = new FileStream(Path.Combine(folder, file), FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
        {
            var chunk = (bytes.Length + chunks - 1) / chunks;
            for (var offset = 0; offset < bytes.Length; offset += chunk)
            {
                stream.Write(bytes, offset, Math.Min(chunk, bytes.Length - offset));
                stream.Flush();
                Thread.Sleep(chunkPauseMs);
            }
            stream.Flush(flushToDisk: true);
        }
        if (index) CheckpointIndex.Append(folder, new CheckpointIndexEntry(10 * i, file, DateTime.UtcNow, null));
    }

    public void Finish() => CheckpointIndex.MarkFinished(folder, DateTime.UtcNow);

    /// <summary>The bytes of <see cref="GridTestRun"/>'s i-th checkpoint (seed 100 + i).</summary>
    public static byte[] Bytes(int i)
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"probegrid-slowrun-{Guid.NewGuid():N}.pt");
        try
        {
            var sampleShape = DatasetCatalog.SampleShape(DatasetCatalog.GaussianSignName, GridTestRun.DatasetParameters(16, 400, 100, 200));
            using var model = ModelZoo.Create(GridTestRun.Architecture, GridTestRun.ModelParameters, sampleShape, 2, seed: 100 + i);
            CheckpointFile.Save(model, scratch);
            return File.ReadAllBytes(scratch);
        }
        finally
        {
            File.Delete(scratch);
        }
    }
}
