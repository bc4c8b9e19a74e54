namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>
/// How a loaded image folder holds its samples. All three give the same samples, in the same order, with the same float32 values;
/// they differ in memory and in when the decoding is paid.
/// </summary>
public enum ImageFolderStorage
{
    /// <summary>Normalised float32 samples in one array per split (<see cref="LabeledData.Inputs"/>): what every analysis reads directly.</summary>
    Floats,

    /// <summary>The resized and cropped bytes in memory, a quarter of the floats, normalised per batch as the batch is read (<see cref="CachedPixels"/>).</summary>
    Bytes,

    /// <summary>Only the file list in memory: each batch is decoded when read, the next ones decoded ahead in the background (<see cref="StreamedImages"/>).</summary>
    Streamed,
}
