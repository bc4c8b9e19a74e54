using ProbeGrid.Client.Export;

namespace ProbeGrid.Tests.Results;

/// <summary>The RFC 4180 reader: quoted fields across lines, doubled quotes, line numbers, malformed input refused.</summary>
public class CsvReaderTests
{
    private static (int Line, string[] Fields)[] Records(string text) =>
        CsvReader.Read(new StringReader(text), "t.csv").Select(r => (r.Line, r.Fields.ToArray())).ToArray();

    private static string Error(string text) =>
        Assert.Throws<InvalidDataException>(() => Records(text)).Message;

    [Fact]
    public void Fields_and_records_are_split_by_commas_and_line_breaks_of_every_kind()
    {
        Assert.Equal([(1, new[] { "a", "b" }), (2, new[] { "c", "" }), (3, new[] { "", "d" }), (4, new[] { "e" })],
            Records("a,b\nc,\r\n,d\re"));
        Assert.Empty(Records(""));
        Assert.Empty(Records("\n\r\n\n"));
    }

    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks_and_the_line_count_follows_them()
    {
        var records = Records("\"a,b\",\"say \"\"hi\"\"\"\n\"two\nlines\",\"cr\rlf\r\n\"\n\n\"\",x\n");

        Assert.Equal([
            (1, new[] { "a,b", "say \"hi\"" }),
            (2, new[] { "two\nlines", "cr\rlf\r\n" }),
            (7, new[] { "", "x" }), // lines 2-5 hold the second record (a lone CR breaks a line too), 6 is blank
        ], records);
    }

    [Fact]
    public void A_blank_line_is_skipped_but_a_line_with_one_quoted_empty_field_is_a_record()
    {
        Assert.Equal([(1, new[] { "a" }), (3, new[] { "" }), (4, new[] { "b" })], Records("a\n\n\"\"\nb\n"));
    }

    [Fact]
    public void Malformed_input_is_refused_with_its_line()
    {
        Assert.Equal("t.csv line 2: the quoted field that starts here is never closed; add its closing quote", Error("a\n\"open\nstill open"));
        Assert.StartsWith("t.csv line 3: 'x' follows the closing quote of a field", Error("a\n\"b\nc\"x"), StringComparison.Ordinal);
        Assert.StartsWith("t.csv line 1: a quote inside a field that does not start with one", Error("ab\"c\""), StringComparison.Ordinal);
    }
}
