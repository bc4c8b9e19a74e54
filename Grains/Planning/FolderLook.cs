using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Planning;

/// <summary>A checkpoint that landed whole in a followed run's folder, with when it was written (index.json's time, or its files').</summary>
public sealed record ArrivedCheckpoint(CheckpointRef Checkpoint, DateTime LandedAt);

/// <summary>
/// One look at the folder a following sweep watches: the checkpoints that landed since the last look, whole and in
/// training order (up to the first that is not whole yet, so training order is kept), how many are not taken in yet
/// (settling, or behind one that is), and whether the run has marked itself finished. Reads the file system: run it on the executor's light lane, never
/// in a grain turn.
/// </summary>
public sealed record FolderLook(IReadOnlyList<ArrivedCheckpoint> Arrived, int Settling, bool TrainingFinished)
{
    /// <param name="checkpoints">the spec's model.checkpoints (a folder, or a folder plus pattern).</param>
    /// <param name="known">paths of the checkpoints taken in before: never taken again.</param>
    /// <param name="arrivals">what earlier looks saw of files still settling (the sweep activation's own).</param>
    /// <param name="lastStep">the largest step taken in so far: checkpoints without a step in their name count on from it.</param>
    /// <exception cref="CheckpointException">the folder is gone, its index.json cannot be read, or a checkpoint lies outside the data roots.</exception>
    /// <exception cref="IOException">the folder cannot be read.</exception>
    public static FolderLook Take(SweepPlanner planner, string checkpoints, IReadOnlySet<string> known, CheckpointArrivals arrivals, long lastStep, DateTime now)
    {
        var folder = planner.UnderDataRoots(checkpoints)
            ?? throw new CheckpointException(checkpoints, "the folder is no longer under the data roots.", "Restore the data root the sweep was planned with, or stop the sweep (probegrid stop).");
        // Finished is read before the checkpoints: a run that had finished then has every checkpoint listed in what is read next.
        var finished = CheckpointDiscovery.IndexOf(folder)?.Finished == true;
        var found = CheckpointDiscovery.Find(folder, path => planner.UnderDataRoots(path) is not null, allowNone: true)
            .Where(c => !known.Contains(c.Path)).ToList();
        var whole = arrivals.Sort(found, now).Whole;
        var arrived = new List<ArrivedCheckpoint>();
        foreach (var checkpoint in found)
        {
            if (!whole.Contains(checkpoint)) break;
            var step = checkpoint.Step ?? ++lastStep;
            if (checkpoint.Step is { } s && s > lastStep) lastStep = s;
            string hash;
            try { hash = CheckpointFingerprint.Of(checkpoint.Path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CheckpointException) { break; } // gone or changing: the next look sees it
            arrived.Add(new ArrivedCheckpoint(new CheckpointRef(checkpoint.Name, step, checkpoint.Path, hash), checkpoint.WrittenAt));
        }
        // Finished only once every checkpoint of the finished run is taken in (one that could not be hashed comes next look).
        return new FolderLook(arrived, found.Count - arrived.Count, finished && arrived.Count == found.Count);
    }
}
