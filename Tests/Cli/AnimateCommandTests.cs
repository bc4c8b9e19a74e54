using System.Diagnostics;
using System.Globalization;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Cli.Output;
using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.Tests.Grid;
using ProbeGrid.Tests.Results;

namespace ProbeGrid.Tests.Cli;

/// <summary>
/// `probegrid animate` on a real sweep: the GIF has one frame per checkpoint, in training order, of the size and delay
/// asked, each drawing that checkpoint's values; the MP4 has as many frames (ffprobe); bad input is refused naming the fix.
/// </summary>
public sealed class AnimateCommandTests(AnimatedSweep sweep) : IClassFixture<AnimatedSweep>
{
    [Fact]
    public void The_gif_has_a_frame_per_checkpoint_in_training_order_drawing_its_values()
    {
        var (code, _, errors) = CliProcess.Run(sweep.Root.Path, TimeSpan.FromMinutes(2), "animate", AnimatedSweep.SweepId,
            "--metric", MetricNames.ProbeTestError, "--out", "video/probe.gif", "--fps", "5", "--size", "640x400");
        Assert.True(code == 0, errors);
        Assert.Contains($"3 frames (one per checkpoint) at 5 fps, 640x400", errors);

        using var gif = GifFrames.Read(Path.Combine(sweep.Root.Path, "video", "probe.gif"));
        Assert.Equal((640, 400), (gif.Width, gif.Height));
        Assert.Equal(Enumerable.Repeat(200, AnimatedSweep.Checkpoints), gif.Frames.Select(f => f.DurationMs));
        // Frame c's markers sit at checkpoint c's values in the sweep's results.csv, mapped through the video's fixed axes.
        var curve = CurveBuilder.Build(sweep.Results, MetricNames.ProbeTestError, CurveAxis.Layer);
        Assert.Equal(Enumerable.Range(0, AnimatedSweep.Checkpoints).Select(GridTestRun.CheckpointName), curve.Series.Select(s => s.Name));
        var renderer = new CurveFrameRenderer(curve, 640, 400, SweepOutputs.ChanceError(DatasetCatalog.GaussianSignName));
        var (limits, area) = (renderer.Limits, renderer.Render(0).DataArea);
        // Layers are drawn evenly spaced in network order, as every curve plot draws them.
        var rank = sweep.Results.Select(v => v.LayerIndex).Distinct().Order().Select((index, i) => (index, i)).ToDictionary(p => p.index, p => p.i);
        for (var c = 0; c < AnimatedSweep.Checkpoints; c++)
        {
            var colour = renderer.Render(c).LineColour;
            var values = sweep.Results.Where(v => v.Metric == MetricNames.ProbeTestError && v.Checkpoint == GridTestRun.CheckpointName(c)).OrderBy(v => v.LayerIndex).ToList();
            Assert.Equal(GridTestRun.Taps, values.Count);
            foreach (var v in values)
            {
                // Where the fixed axes put checkpoint c's value at this layer.
                var x = (float)(area.Left + (rank[v.LayerIndex] - limits.Left) / (limits.Right - limits.Left) * area.Width);
                var y = (float)(area.Bottom - (v.Value - limits.Bottom) / (limits.Top - limits.Bottom) * area.Height);
                Assert.True(GifFrames.Distance(gif.Frames[c].Bitmap, x, y, colour) <= 24, $"GIF frame {c} lacks {v.Checkpoint}'s marker for {v.Layer} at ({x}, {y})");
            }
        }
    }

    [Fact]
    public void The_mp4_has_a_frame_per_checkpoint_of_the_size_asked()
    {
        var (code, _, errors) = CliProcess.Run(sweep.Root.Path, TimeSpan.FromMinutes(2), "animate", AnimatedSweep.SweepId,
            "--analysis", "probe", "--out", "probe.mp4", "--fps", "2", "--size", "480x320");
        Assert.True(code == 0, errors);
        Assert.Contains("Wrote", errors);
        using var probe = Process.Start(new ProcessStartInfo("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,width,height,nb_read_frames,r_frame_rate", "-of", "csv=p=0", Path.Combine(sweep.Root.Path, "probe.mp4")])
        { RedirectStandardOutput = true })!;
        var info = probe.StandardOutput.ReadToEnd().Trim();
        probe.WaitForExit();
        Assert.Equal(string.Join(",", "h264", "480", "320", "2/1", AnimatedSweep.Checkpoints.ToString(CultureInfo.InvariantCulture)), info);
    }

    [Fact]
    public void Bad_options_an_unknown_sweep_or_metric_are_refused_naming_the_fix()
    {
        var (code, _, errors) = CliProcess.Run(sweep.Root.Path, TimeSpan.FromMinutes(2), "animate", "no-such-sweep",
            "--metric", "probe.test_error", "--out", "video.avi", "--fps", "0", "--size", "641x40", "--along", "depth");
        Assert.Equal(2, code);
        Assert.Contains("--out 'video.avi' must end in .gif (animated GIF) or .mp4 (H.264 video)", errors);
        Assert.Contains("--fps 0 must be 1 to 50", errors);
        Assert.Contains("--size 641x40: width and height must each be 100 to 4000 pixels", errors);
        Assert.Contains("--along 'depth' must be layer or checkpoint", errors);
        Assert.Contains("no sweep 'no-such-sweep' in this state folder; `probegrid status` lists the sweeps there", errors);

        (code, _, errors) = CliProcess.Run(sweep.Root.Path, TimeSpan.FromMinutes(2), "animate", AnimatedSweep.SweepId, "--metric", "probe.test_eror", "--out", "x.gif");
        Assert.Equal(2, code);
        Assert.Contains("has no values of 'probe.test_eror': name one of its metrics with --metric: ", errors);
        Assert.Contains("probe.test_error, probe.test_loss", errors);
        Assert.False(File.Exists(Path.Combine(sweep.Root.Path, "x.gif")));
    }

    [Fact]
    public void An_mp4_size_must_be_even()
    {
        var problems = new List<string>();
        Assert.Equal((641, 360), global::ProbeGrid.Cli.Commands.AnimateCommand.ParseSize("641x360", even: true, problems));
        Assert.Equal(["--size 641x360: an .mp4 (H.264, yuv420p) needs an even width and height, e.g. --size 642x360"], problems);
        problems.Clear();
        global::ProbeGrid.Cli.Commands.AnimateCommand.ParseSize("641x360", even: false, problems);
        global::ProbeGrid.Cli.Commands.AnimateCommand.ParseSize("wide", even: false, problems);
        Assert.Equal(["--size 'wide' is not WIDTHxHEIGHT in pixels, e.g. --size 800x500"], problems);
    }
}
