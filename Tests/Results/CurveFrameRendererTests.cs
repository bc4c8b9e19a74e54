using System.Collections.Immutable;
using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.Tests.Data;
using SkiaSharp;

namespace ProbeGrid.Tests.Results;

/// <summary>
/// The frames of `probegrid animate`: one per checkpoint, each drawing that checkpoint's values on axes fixed over the
/// whole video (the y of each layer is the axis mapping of its value), and the GIF that holds them in order.
/// </summary>
public sealed class CurveFrameRendererTests : IDisposable
{
    private const int Width = 640;
    private const int Height = 400;

    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static readonly string[] LayerNames = ["input", "layer1", "layer2", "layer3", "logits"];

    /// <summary>Three checkpoints of probe error over five layers, far apart so their lines do not cross the others' points.</summary>
    private static readonly double[][] Errors =
    [
        [0.10, 0.40, 0.45, 0.48, 0.49],
        [0.10, 0.25, 0.30, 0.35, 0.42],
        [0.10, 0.12, 0.15, 0.20, 0.22],
    ];

    private static Curve ProbeCurve() => CurveBuilder.Build(
        Errors.SelectMany((errors, c) => errors.Select((e, l) =>
            new MetricValue($"step-{100 * c:D7}", 100 * c, LayerNames[l], ModuleIndex[l], 0, MetricNames.ProbeTestError, e))),
        MetricNames.ProbeTestError, CurveAxis.Layer);

    /// <summary>Layer indices far apart, as a deep network's module indices are: the frames still space the layers evenly.</summary>
    private static readonly int[] ModuleIndex = [0, 3, 4, 40, 41];

    [Fact]
    public void Each_frame_draws_its_checkpoints_values_where_the_fixed_axes_put_them()
    {
        var renderer = new CurveFrameRenderer(ProbeCurve(), Width, Height, chanceLevel: 0.5);
        Assert.Equal(3, renderer.Count);
        // Fixed axes over all frames: every value with a 5% margin (not the chance level, drawn where it falls); layers half a step in.
        var span = 0.49 - 0.10;
        Assert.Equal(0.10 - 0.05 * span, renderer.Limits.Bottom, 12);
        Assert.Equal(0.49 + 0.05 * span, renderer.Limits.Top, 12);
        Assert.Equal(-0.5, renderer.Limits.Left, 12);
        Assert.Equal(4.5, renderer.Limits.Right, 12);

        var frames = renderer.RenderAll().ToList();
        Assert.Equal(["probe.test_error vs layer: step-0000000 (step 0), 1/3", "probe.test_error vs layer: step-0000100 (step 100), 2/3",
            "probe.test_error vs layer: step-0000200 (step 200), 3/3"], frames.Select(f => f.Title));
        Assert.Single(frames.Select(f => f.DataArea).Distinct());
        for (var c = 0; c < frames.Count; c++)
        {
            var frame = frames[c];
            var area = frame.DataArea;
            using var bitmap = SKBitmap.Decode(frame.Png);
            Assert.Equal((Width, Height), (bitmap.Width, bitmap.Height));
            Assert.Equal(LayerNames.Length, frame.Points.Count);
            for (var l = 0; l < LayerNames.Length; l++)
            {
                var expectedX = area.Left + (l - renderer.Limits.Left) / (renderer.Limits.Right - renderer.Limits.Left) * area.Width;
                var expectedY = area.Bottom - (Errors[c][l] - renderer.Limits.Bottom) / (renderer.Limits.Top - renderer.Limits.Bottom) * area.Height;
                Assert.Equal(expectedX, frame.Points[l].X, 0.5);
                Assert.Equal(expectedY, frame.Points[l].Y, 0.5);
                // The marker of this checkpoint's value is there, in its line's colour.
                Assert.True(GifFrames.Distance(bitmap, frame.Points[l].X, frame.Points[l].Y, frame.LineColour) <= 2,
                    $"frame {c}, layer {LayerNames[l]}: no marker at ({frame.Points[l].X}, {frame.Points[l].Y})");
            }
            // Another checkpoint's values (where they differ) are not drawn in this frame's colour.
            var other = frames[(c + 1) % frames.Count];
            for (var l = 1; l < LayerNames.Length; l++)
                Assert.True(GifFrames.Distance(bitmap, other.Points[l].X, other.Points[l].Y, frame.LineColour) > 40,
                    $"frame {c} has its colour at checkpoint {other.Index}'s value at layer {LayerNames[l]}");
        }
    }

    [Fact]
    public void A_gif_holds_one_frame_per_checkpoint_in_order_of_the_requested_size_and_delay()
    {
        var renderer = new CurveFrameRenderer(ProbeCurve(), Width, Height);
        var frames = renderer.RenderAll().ToList();
        var path = folder.File("probe.gif");

        AnimatedGif.Write(path, frames.Select(f => f.Png), fps: 5);

        using var gif = GifFrames.Read(path);
        Assert.Equal("Gif", gif.Format);
        Assert.Equal((Width, Height), (gif.Width, gif.Height));
        Assert.Equal([200, 200, 200], gif.Frames.Select(f => f.DurationMs));
        for (var c = 0; c < frames.Count; c++)
            foreach (var point in frames[c].Points)
                Assert.True(GifFrames.Distance(gif.Frames[c].Bitmap, point.X, point.Y, frames[c].LineColour) <= 24,
                    $"GIF frame {c} lacks checkpoint {c}'s marker at ({point.X}, {point.Y})");
    }

    [Theory]
    [InlineData(1, 100)]
    [InlineData(4, 25)]
    [InlineData(3, 33)]
    [InlineData(50, 2)]
    public void Frame_delays_are_whole_hundredths_of_a_second(int fps, int centiseconds) => Assert.Equal(centiseconds, AnimatedGif.FrameDelay(fps));

    [Fact]
    public void Along_checkpoints_each_frame_is_a_layer_over_training()
    {
        var values = Errors.SelectMany((errors, c) => errors.Select((e, l) =>
            new MetricValue($"step-{100 * c:D7}", 100 * c, LayerNames[l], l, 0, MetricNames.ProbeTestError, e)));
        var renderer = new CurveFrameRenderer(CurveBuilder.Build(values, MetricNames.ProbeTestError, CurveAxis.Checkpoint), Width, Height);
        Assert.Equal(LayerNames.Length, renderer.Count);
        Assert.Equal("probe.test_error vs checkpoint: layer layer2, 3/5", renderer.Title(2));
        // Steps 0..200 with a 5% margin.
        Assert.Equal(-10, renderer.Limits.Left, 12);
        Assert.Equal(210, renderer.Limits.Right, 12);
        var frame = renderer.Render(2);
        var area = frame.DataArea;
        for (var c = 0; c < Errors.Length; c++)
            Assert.Equal(area.Bottom - (Errors[c][2] - renderer.Limits.Bottom) / (renderer.Limits.Top - renderer.Limits.Bottom) * area.Height, frame.Points[c].Y, 0.5);
    }

    [Fact]
    public void Mp4_without_ffmpeg_names_the_fix()
    {
        var frame = new CurveFrameRenderer(ProbeCurve(), Width, Height).Render(0);
        var e = Assert.Throws<InvalidOperationException>(() => Mp4Video.Write(folder.File("x.mp4"), [frame.Png], 4, ffmpeg: folder.File("no-ffmpeg-here")));
        Assert.Contains("run scripts/bootstrap", e.Message);
        Assert.Contains("or write a .gif", e.Message);
    }
}
