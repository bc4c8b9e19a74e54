namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>An image's pixels as bytes, row-major with interleaved channels (height x width x channels), as PIL's np.array gives them.</summary>
public sealed record DecodedImage(byte[] Pixels, int Height, int Width, int Channels);
