using System.Globalization;
using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Client.Export;

/// <summary>
/// The long-format CSV every sweep writes: one metric value per row, columns
/// checkpoint, step, layer, layer_index, repeat, metric, value.
/// </summary>
public static class MetricCsv
{
    public const string Header = "checkpoint,step,layer,layer_index,repeat,metric,value";

    public static void Write(string path, IEnumerable<MetricValue> values)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        using (var writer = new StreamWriter(temp))
        {
            Write(writer, values);
        }
        File.Move(temp, path, overwrite: true);
    }

    public static void Write(TextWriter writer, IEnumerable<MetricValue> values)
    {
        writer.WriteLine(Header);
        foreach (var v in values)
            writer.WriteLine(string.Join(',', Quote(v.Checkpoint), v.Step.ToString(CultureInfo.InvariantCulture),
                Quote(v.Layer), v.LayerIndex.ToString(CultureInfo.InvariantCulture),
                v.Repeat.ToString(CultureInfo.InvariantCulture), Quote(v.Metric),
                v.Value.ToString("R", CultureInfo.InvariantCulture)));
    }

    public static IReadOnlyList<MetricValue> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Header)
            throw new InvalidDataException($"{path} is not a ProbeGrid metrics CSV: its first line must be '{Header}'");
        var values = new List<MetricValue>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = Split(lines[i]);
            if (f.Count != 7)
                throw new InvalidDataException($"{path} line {i + 1}: expected 7 fields, found {f.Count}");
            values.Add(new MetricValue(f[0], long.Parse(f[1], CultureInfo.InvariantCulture), f[2],
                int.Parse(f[3], CultureInfo.InvariantCulture), int.Parse(f[4], CultureInfo.InvariantCulture), f[5],
                double.Parse(f[6], CultureInfo.InvariantCulture)));
        }
        return values;
    }

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields;
    }
}
