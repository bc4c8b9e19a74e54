using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Results;

/// <summary>The long-format metrics CSV: its columns, and an exact write/read round trip.</summary>
public class MetricCsvTests
{
    private static void AssertSameBits(IReadOnlyList<MetricValue> expected, IReadOnlyList<MetricValue> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i] with { Value = 0 }, actual[i] with { Value = 0 });
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i].Value), BitConverter.DoubleToInt64Bits(actual[i].Value));
        }
    }

    [Fact]
    public void The_header_names_every_column_in_order()
    {
        Assert.Equal("checkpoint,step,layer,layer_index,repeat,metric,value", MetricCsv.Header);
        var writer = new StringWriter();
        MetricCsv.Write(writer, []);
        Assert.Equal(MetricCsv.Header + Environment.NewLine, writer.ToString());
    }

    [Fact]
    public void A_row_is_written_in_invariant_culture_with_quotes_only_where_needed()
    {
        var writer = new StringWriter();
        MetricCsv.Write(writer, [
            new MetricValue("step-0000100", 100, "layer3", 3, 1, "probe.test_error", 0.1),
            new MetricValue("run,a", -1, "say \"hi\"", 0, 0, "m", -2.5e-10),
        ]);

        Assert.Equal(
            string.Join(Environment.NewLine,
                MetricCsv.Header,
                "step-0000100,100,layer3,3,1,probe.test_error,0.1",
                "\"run,a\",-1,\"say \"\"hi\"\"\",0,0,m,-2.5E-10",
                ""),
            writer.ToString());
    }

    [Fact]
    public void Rows_of_several_sweeps_lead_with_their_sweep_so_equal_checkpoints_and_layers_stay_apart()
    {
        var writer = new StringWriter();
        var row = new MetricValue("step-0000100", 100, "fc1", 2, 0, "complexity.significance.l1", 0.25);
        MetricCsv.WriteWithSweeps(writer, [("mlp-a", row), ("mlp,b", row with { Value = 0.5 })]);

        Assert.Equal(
            string.Join(Environment.NewLine,
                "sweep,checkpoint,step,layer,layer_index,repeat,metric,value",
                "mlp-a,step-0000100,100,fc1,2,0,complexity.significance.l1,0.25",
                "\"mlp,b\",step-0000100,100,fc1,2,0,complexity.significance.l1,0.5",
                ""),
            writer.ToString());
    }

    [Fact]
    public void Write_then_read_gives_back_every_value_bit_for_bit()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "nested", "results.csv");
        double[] numbers =
        [
            0.1, 1.0 / 3, 1e-300, double.Epsilon, -0.0, 0.0, double.MaxValue, double.MinValue, 123456789.123456789,
            double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.30000000000000004,
        ];
        var values = numbers.Select((v, i) => new MetricValue($"step-{i}", long.MaxValue - i, "layer" + i, i, i % 3, MetricNames.Probe[i % 8], v))
            .Append(new MetricValue("a,b", long.MinValue, "\"quoted\", with comma", int.MaxValue, 7, "weird \"\" metric,", 0.5))
            .Append(new MetricValue(" spaced ", 0, "", 0, 0, "ünïcödé·λ", -1))
            .ToList();

        MetricCsv.Write(path, values);
        var read = MetricCsv.Read(path);

        AssertSameBits(values, read);
        Assert.Equal(["results.csv"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Writing_again_replaces_the_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("results.csv");
        MetricCsv.Write(path, [new MetricValue("a", 1, "l", 0, 0, "m", 1), new MetricValue("b", 2, "l", 0, 0, "m", 2)]);
        MetricCsv.Write(path, [new MetricValue("c", 3, "l", 0, 0, "m", 3)]);

        Assert.Equal("c", Assert.Single(MetricCsv.Read(path)).Checkpoint);
        Assert.Equal(["results.csv"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Blank_lines_are_skipped()
    {
        using var folder = new TempFolder();
        var path = folder.File("results.csv");
        File.WriteAllText(path, MetricCsv.Header + "\na,1,l,0,0,m,0.25\n\nb,2,l,0,0,m,0.5\n\n");

        Assert.Equal([0.25, 0.5], MetricCsv.Read(path).Select(v => v.Value));
    }

    [Fact]
    public void A_file_that_is_not_a_metrics_csv_is_refused_with_its_line()
    {
        using var folder = new TempFolder();
        var path = folder.File("other.csv");

        File.WriteAllText(path, "a,b,c\n1,2,3\n");
        var header = Assert.Throws<InvalidDataException>(() => MetricCsv.Read(path));
        Assert.Contains("first line must be 'checkpoint,step,layer,layer_index,repeat,metric,value'", header.Message, StringComparison.Ordinal);

        File.WriteAllText(path, "");
        Assert.Throws<InvalidDataException>(() => MetricCsv.Read(path));

        File.WriteAllText(path, MetricCsv.Header + "\na,1,l,0,0,m,0.5\na,1,l,0,0,m\n");
        var fields = Assert.Throws<InvalidDataException>(() => MetricCsv.Read(path));
        Assert.Contains("line 3: expected 7 fields, found 6", fields.Message, StringComparison.Ordinal);

        File.WriteAllText(path, MetricCsv.Header + "\na,1,\"l,x\",0,0,m,0.5,extra\n");
        Assert.Contains("line 2: expected 7 fields, found 8", Assert.Throws<InvalidDataException>(() => MetricCsv.Read(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_with_line_breaks_round_trip()
    {
        using var folder = new TempFolder();
        var path = folder.File("results.csv");
        MetricValue[] values =
        [
            new("two\nlines", 1, "cr\rhere", 0, 0, "m", 0.5),
            new("crlf\r\nin, the \"middle\"", 2, "\n", 1, 0, "\r", 0.25),
            new("after", 3, "l", 2, 0, "m", 1),
        ];

        MetricCsv.Write(path, values);

        Assert.Equal(values, MetricCsv.Read(path));
        var writer = new StringWriter();
        MetricCsv.Write(writer, values.Take(1));
        Assert.Equal(MetricCsv.Header + Environment.NewLine + "\"two\nlines\",1,\"cr\rhere\",0,0,m,0.5" + Environment.NewLine, writer.ToString());
    }

    [Fact]
    public void Windows_line_endings_are_read_like_unix_ones()
    {
        using var folder = new TempFolder();
        var path = folder.File("results.csv");
        File.WriteAllText(path, MetricCsv.Header + "\r\na,1,l,0,0,m,0.25\r\n\r\n\"b\r\nc\",2,l,0,0,m,0.5\r\n");

        Assert.Equal([("a", 0.25), ("b\r\nc", 0.5)], MetricCsv.Read(path).Select(v => (v.Checkpoint, v.Value)));
    }

    [Fact]
    public void Errors_after_a_record_that_spans_lines_give_the_line_in_the_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("results.csv");

        // line 2-4 hold one record; line 5 is short by one field.
        File.WriteAllText(path, MetricCsv.Header + "\n\"a\n\nb\",1,l,0,0,m,0.5\nc,1,l,0,0,m\n");
        Assert.Contains("line 5: expected 7 fields, found 6", Assert.Throws<InvalidDataException>(() => MetricCsv.Read(path)).Message, StringComparison.Ordinal);

        File.WriteAllText(path, MetricCsv.Header + "\na,1,l,0,0,m,0.5\n\"b,1,l,0,0,m,0.5\nc,1,l,0,0,m,0.5\n");
        Assert.Contains("line 3: the quoted field that starts here is never closed", Assert.Throws<InvalidDataException>(() => MetricCsv.Read(path)).Message, StringComparison.Ordinal);

        File.WriteAllText(path, MetricCsv.Header + "\na,1,l,0,0,m,0.5\n\"b\"x,1,l,0,0,m,0.5\n");
        Assert.Contains("line 3: 'x' follows the closing quote of a field", Assert.Throws<InvalidDataException>(() => MetricCsv.Read(path)).Message, StringComparison.Ordinal);

        File.WriteAllText(path, MetricCsv.Header + "\na,1,l,0,0,m,0.5\nsay \"hi\",1,l,0,0,m,0.5\n");
        Assert.Contains("line 3: a quote inside a field that does not start with one", Assert.Throws<InvalidDataException>(() => MetricCsv.Read(path)).Message, StringComparison.Ordinal);

        File.WriteAllText(path, MetricCsv.Header + "\n\"a\nb\",1,l,0,0,m,0.5\nc,ten,l,0,0,m,0.5\n");
        Assert.Contains("line 4: step 'ten' is not an integer", Assert.Throws<InvalidDataException>(() => MetricCsv.Read(path)).Message, StringComparison.Ordinal);

        File.WriteAllText(path, MetricCsv.Header + "\nc,1,l,0,0,m,0,5\n");
        Assert.Contains("line 2: expected 7 fields, found 8", Assert.Throws<InvalidDataException>(() => MetricCsv.Read(path)).Message, StringComparison.Ordinal);

        File.WriteAllText(path, MetricCsv.Header + "\nc,1,l,0,0,m,half\n");
        Assert.Contains("line 2: value 'half' is not a number", Assert.Throws<InvalidDataException>(() => MetricCsv.Read(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_header_must_be_the_first_line()
    {
        using var folder = new TempFolder();
        var path = folder.File("results.csv");

        File.WriteAllText(path, "\n" + MetricCsv.Header + "\na,1,l,0,0,m,0.5\n");
        Assert.Contains("first line must be", Assert.Throws<InvalidDataException>(() => MetricCsv.Read(path)).Message, StringComparison.Ordinal);

        File.WriteAllText(path, MetricCsv.Header + ",extra\na,1,l,0,0,m,0.5\n");
        Assert.Contains("first line must be", Assert.Throws<InvalidDataException>(() => MetricCsv.Read(path)).Message, StringComparison.Ordinal);
    }
}
