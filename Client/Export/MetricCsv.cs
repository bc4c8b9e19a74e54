using System.Globalization;
using System.Numerics;
using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Client.Export;

/// <summary>
/// The long-format CSV every sweep writes: one metric value per row, columns
/// checkpoint, step, layer, layer_index, repeat, metric, value. Rows from several sweeps (the spectrum
/// command's) get a leading sweep column, since their checkpoints and layers may share names.
/// </summary>
public static class MetricCsv
{
    public const string Header = "checkpoint,step,layer,layer_index,repeat,metric,value";

    public const string SweepHeader = "sweep," + Header;

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
        foreach (var v in values) writer.WriteLine(Row(v));
    }

    /// <summary>Rows of several sweeps, each row prefixed with its sweep's id (<see cref="SweepHeader"/>).</summary>
    public static void WriteWithSweeps(TextWriter writer, IEnumerable<(string Sweep, MetricValue Value)> rows)
    {
        writer.WriteLine(SweepHeader);
        foreach (var (sweep, v) in rows) writer.WriteLine(Quote(sweep) + "," + Row(v));
    }

    /// <summary>One value as a CSV row (no line break), in the columns of <see cref="Header"/>.</summary>
    public static string Row(MetricValue v) =>
        string.Join(',', Quote(v.Checkpoint), v.Step.ToString(CultureInfo.InvariantCulture),
            Quote(v.Layer), v.LayerIndex.ToString(CultureInfo.InvariantCulture),
            v.Repeat.ToString(CultureInfo.InvariantCulture), Quote(v.Metric),
            v.Value.ToString("R", CultureInfo.InvariantCulture));

    /// <exception cref="InvalidDataException">The file is not a metrics CSV, or a record is malformed; the message gives its line.</exception>
    public static IReadOnlyList<MetricValue> Read(string path)
    {
        using var reader = new StreamReader(path);
        using var records = CsvReader.Read(reader, path).GetEnumerator();
        if (!records.MoveNext() || records.Current.Line != 1 || !records.Current.Fields.SequenceEqual(HeaderFields))
            throw new InvalidDataException($"{path} is not a ProbeGrid metrics CSV: its first line must be '{Header}'");
        var values = new List<MetricValue>();
        while (records.MoveNext())
        {
            var (line, f) = (records.Current.Line, records.Current.Fields);
            if (f.Count != HeaderFields.Length)
                throw new InvalidDataException($"{path} line {line}: expected {HeaderFields.Length} fields, found {f.Count}");
            values.Add(new MetricValue(f[0], Number<long>(path, line, 1, f[1]), f[2],
                Number<int>(path, line, 3, f[3]), Number<int>(path, line, 4, f[4]), f[5],
                Number<double>(path, line, 6, f[6])));
        }
        return values;
    }

    private static readonly string[] HeaderFields = Header.Split(',');

    /// <summary>Field <paramref name="column"/> as a number in invariant culture, or an error naming its line and column.</summary>
    private static T Number<T>(string path, int line, int column, string text) where T : INumberBase<T>
    {
        var real = typeof(T) == typeof(double);
        return T.TryParse(text, real ? NumberStyles.Float : NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{path} line {line}: {HeaderFields[column]} '{text}' is not {(real ? "a number" : "an integer")} in invariant culture");
    }

    /// <summary>Quotes a field that holds a separator, a quote or a line break (RFC 4180), doubling its quotes.</summary>
    public static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
