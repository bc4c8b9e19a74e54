using ProbeGrid.Analysis.Checkpoints;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// Writes activations and labels as .npy files for NumPy: <c>TAP.npy</c> per layer, <c>labels.npy</c>,
/// and for multi-label data <c>label_sets.npy</c> (float32 0/1, one row per sample; labels.npy then holds -1).
/// </summary>
public static class ActivationExport
{
    public static void ExportNpy(string folder, IReadOnlyDictionary<string, FeatureMatrix> layers, long[] labels, FeatureMatrix? labelSets = null)
    {
        Directory.CreateDirectory(folder);
        foreach (var (tap, matrix) in layers)
        {
            if (matrix.Rows != labels.Length)
                throw new ArgumentException($"layer '{tap}' has {matrix.Rows} rows but there are {labels.Length} labels");
            AtomicFile.Write(Path.Combine(folder, ActivationCache.FileNameOf(tap)), s => NpyFile.WriteMatrix(s, matrix));
        }
        AtomicFile.Write(Path.Combine(folder, "labels.npy"), s => NpyFile.WriteVector(s, labels));
        if (labelSets is not null) AtomicFile.Write(Path.Combine(folder, "label_sets.npy"), s => NpyFile.WriteMatrix(s, labelSets));
    }
}
