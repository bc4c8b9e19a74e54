using ProbeGrid.Analysis.Checkpoints;

namespace ProbeGrid.Analysis.Activations;

/// <summary>Writes activations and labels as .npy files for NumPy: <c>TAP.npy</c> per layer and <c>labels.npy</c>.</summary>
public static class ActivationExport
{
    public static void ExportNpy(string folder, IReadOnlyDictionary<string, FeatureMatrix> layers, long[] labels)
    {
        Directory.CreateDirectory(folder);
        foreach (var (tap, matrix) in layers)
        {
            if (matrix.Rows != labels.Length)
                throw new ArgumentException($"layer '{tap}' has {matrix.Rows} rows but there are {labels.Length} labels");
            AtomicFile.Write(Path.Combine(folder, ActivationCache.FileNameOf(tap)), s => NpyFile.WriteMatrix(s, matrix));
        }
        AtomicFile.Write(Path.Combine(folder, "labels.npy"), s => NpyFile.WriteVector(s, labels));
    }
}
