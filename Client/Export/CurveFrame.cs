using ScottPlot;

namespace ProbeGrid.Client.Export;

/// <summary>
/// One frame of a curve's animation: the PNG, where its data area lies, and where each of the frame's points
/// (the series it shows, in x order) was drawn, in pixels of the PNG, in which colour.
/// </summary>
public sealed record CurveFrame(int Index, string Title, byte[] Png, PixelRect DataArea, IReadOnlyList<Pixel> Points, Color LineColour);
