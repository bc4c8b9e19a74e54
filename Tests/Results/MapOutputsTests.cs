using System.Buffers.Binary;
using System.Collections.Immutable;
using ProbeGrid.Cli.Commands;
using ProbeGrid.Cli.Output;
using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.Tests.Data;

namespace ProbeGrid.Tests.Results;

/// <summary><c>probegrid maps</c>'s selection and files (also <c>run</c>'s maps/ folder), on hand-made maps without a grid.</summary>
public sealed class MapOutputsTests : IDisposable
{
    private const int Height = 3;
    private const int Width = 4;

    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Pixel i of a map holds <paramref name="offset"/> + i, so every value says where it came from.</summary>
    private static PixelMap Map(string checkpoint, long step, string layer, int layerIndex, string kind, int sample = 3, int repeat = 0, float offset = 0, long label = 7) =>
        new(checkpoint, step, layer, layerIndex, repeat, sample, label, kind, Height, Width,
            [.. Enumerable.Range(0, Height * Width).Select(i => offset + i)]);

    /// <summary>A unit's maps: the input, SID and RU of one sample at one (checkpoint, layer, repeat).</summary>
    private static IEnumerable<PixelMap> Unit(string checkpoint, long step, string layer, int layerIndex, int sample = 3, int repeat = 0) =>
    [
        Map(checkpoint, step, layer, layerIndex, PixelMap.InputKind, sample, repeat),
        Map(checkpoint, step, layer, layerIndex, PixelMap.SidKind, sample, repeat, offset: 100 * layerIndex + step),
        Map(checkpoint, step, layer, layerIndex, PixelMap.RuKind, sample, repeat, offset: -100 * layerIndex - step),
    ];

    /// <summary>Two checkpoints (the later one first, with a name unsafe in file names) and two layers listed deepest first.</summary>
    private static List<PixelMap> Sweep() =>
    [
        .. Unit("run/step:10", 10, "fc1", 8), .. Unit("run/step:10", 10, "conv1", 3),
        .. Unit("step-2", 2, "fc1", 8), .. Unit("step-2", 2, "conv1", 3),
    ];

    private static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void One_png_per_checkpoint_sample_and_kind_with_the_input_and_every_layer_in_a_row()
    {
        var folder = Path.Combine(_folder.Path, "maps");

        var written = MapOutputs.WritePngs(Sweep(), folder, sharedScale: true);

        // Checkpoints by step (step-2 before run/step:10), then kind; the unsafe characters become '_'.
        Assert.Equal(["ru-step-2-sample3.png", "sid-step-2-sample3.png", "ru-run_step_10-sample3.png", "sid-run_step_10-sample3.png"],
            written.Select(Path.GetFileName));
        Assert.Equal(written.Order(), Directory.GetFiles(folder).Order());
        Assert.All(written, p => Assert.Equal((3 * PixelMapPlotter.PanelWidth, PixelMapPlotter.PanelHeight), PngSize(p)));
    }

    [Fact]
    public void The_repeat_is_named_only_when_there_are_several()
    {
        var maps = Unit("ckpt", 5, "conv1", 3, sample: 0, repeat: 0).Concat(Unit("ckpt", 5, "conv1", 3, sample: 0, repeat: 1)).ToList();

        var written = MapOutputs.WritePngs(maps.Where(m => m.Kind != PixelMap.RuKind).ToList(), _folder.Path, sharedScale: false);

        Assert.Equal(["sid-ckpt-repeat0-sample0.png", "sid-ckpt-repeat1-sample0.png"], written.Select(Path.GetFileName));
        Assert.All(written, p => Assert.Equal((2 * PixelMapPlotter.PanelWidth, PixelMapPlotter.PanelHeight), PngSize(p)));
        Assert.Equal("SID, checkpoint ckpt, repeat 1, sample 0 (class 7)", MapOutputs.Title(maps[1] with { Repeat = 1 }, severalRepeats: true));
        Assert.Equal("RU, checkpoint step-10, sample 3", MapOutputs.Title(Map("step-10", 10, "fc1", 8, PixelMap.RuKind, label: -1), severalRepeats: false));
    }

    [Fact]
    public void Checkpoints_whose_safe_names_collide_get_their_step()
    {
        var names = MapOutputs.FileNames([Map("a/b", 1, "l", 1, "sid"), Map("a:b", 2, "l", 1, "sid"), Map("a b.c", 3, "l", 1, "sid")]);

        Assert.Equal("a_b-step1", names["a/b"]);
        Assert.Equal("a_b-step2", names["a:b"]);
        Assert.Equal("a_b.c", names["a b.c"]);
    }

    [Fact]
    public void The_csv_has_one_row_per_pixel_of_each_sid_and_ru_map_checkpoints_by_step_and_layers_by_depth()
    {
        var path = MapOutputs.WriteCsv(Sweep().Append(Map("with,comma", 20, "conv1", 3, PixelMap.SidKind, offset: 0.25f)).ToList(), _folder.Path);

        Assert.Equal(Path.Combine(_folder.Path, "maps.csv"), path);
        var lines = File.ReadAllLines(path);
        Assert.Equal("checkpoint,step,layer,layer_index,repeat,sample,kind,row,col,value", lines[0]);
        // 2 checkpoints x 2 layers x (SID, RU) + 1 map, 12 pixels each; inputs are left out.
        Assert.Equal(1 + 9 * Height * Width, lines.Length);
        Assert.DoesNotContain(lines, l => l.Contains(",input,"));
        // step-2 first: its RU maps (kind order), conv1 (depth 3) before fc1 (depth 8); pixel i at (i / 4, i % 4) holds −100 · depth − step − ... + i.
        Assert.Equal("step-2,2,conv1,3,0,3,ru,0,0,-302", lines[1]);
        Assert.Equal("step-2,2,conv1,3,0,3,ru,2,3,-291", lines[12]);
        Assert.Equal("step-2,2,fc1,8,0,3,ru,0,1,-801", lines[14]);
        Assert.Equal("step-2,2,conv1,3,0,3,sid,1,2,308", lines[2 * 12 + 7]);
        Assert.Equal("run/step:10,10,fc1,8,0,3,sid,2,3,821", lines[8 * 12]);
        Assert.Equal("\"with,comma\",20,conv1,3,0,3,sid,0,1,1.25", lines[8 * 12 + 2]);
    }

    [Fact]
    public void Selection_keeps_the_inputs_beside_the_kinds_asked_for()
    {
        var problems = new List<string>();

        var selected = MapsCommand.Select("s", Sweep(), ["step-2"], ["fc1"], [3], ["sid"], problems);

        Assert.Empty(problems);
        Assert.Equal([(PixelMap.InputKind, "fc1"), (PixelMap.SidKind, "fc1")], selected.Select(m => (m.Kind, m.Layer)));
        Assert.All(selected, m => Assert.Equal("step-2", m.Checkpoint));
        Assert.Equal(12, MapsCommand.Select("s", Sweep(), [], [], [], [], problems).Count);
    }

    [Fact]
    public void Selection_names_each_value_the_sweep_has_no_maps_for_and_what_it_has()
    {
        var problems = new List<string>();
        var withoutRu = Sweep().Where(m => m.Kind != PixelMap.RuKind).ToList();

        Assert.Empty(MapsCommand.Select("s", withoutRu, ["step-3"], ["conv1", "conv9"], [0], ["ru"], problems));

        Assert.Equal(
        [
            "--checkpoint 'step-3': sweep 's' has no maps there; it has maps for run/step:10, step-2",
            "--layer 'conv9': sweep 's' has no maps there; it has maps for conv1, fc1",
            "--sample '0': sweep 's' has no maps there; it has maps for 3 (the discarding parameter `maps` sets how many samples keep maps)",
            "--kind 'ru': sweep 's' has no maps there; it has maps for sid (RU maps need the discarding parameter `ru` other than 'off')",
        ], problems);

        problems.Clear();
        Assert.Empty(MapsCommand.Select("probes", [], [], [], [], [], problems));
        Assert.StartsWith("sweep 'probes' has no per-pixel maps (yet): only the `discarding` analysis keeps them", Assert.Single(problems));
    }
}
