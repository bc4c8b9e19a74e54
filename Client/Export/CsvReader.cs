using System.Text;

namespace ProbeGrid.Client.Export;

/// <summary>
/// Reads CSV as RFC 4180 writes it: fields separated by commas, records by line breaks (CRLF, LF
/// or a lone CR); a field holding a comma, a quote or a line break is enclosed in double quotes,
/// with its quotes doubled, and may span lines. Blank lines between records are skipped. Malformed
/// input is refused with the line it is on, never guessed at.
/// </summary>
public static class CsvReader
{
    /// <param name="source">What the text is (a file's path), for error messages.</param>
    /// <exception cref="InvalidDataException">A quote in the middle of an unquoted field, text after a closing quote, or a quoted field never closed.</exception>
    public static IEnumerable<CsvRecord> Read(TextReader reader, string source)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;        // the line the reader is on
        var recordLine = 1;  // the line the current record started on
        var quoteLine = 0;   // the line the open quoted field started on
        var inQuotes = false;
        var quoted = false;  // the current field was quoted (and its closing quote has been read)

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            quoted = false;
        }

        int c;
        while ((c = reader.Read()) >= 0)
        {
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                        quoted = true;
                    }
                    continue;
                }
                if (ch == '\n' || (ch == '\r' && reader.Peek() != '\n'))
                    line++;
                field.Append(ch);
                continue;
            }

            switch (ch)
            {
                case ',':
                    EndField();
                    break;
                case '\r' or '\n':
                    if (ch == '\r' && reader.Peek() == '\n')
                        reader.Read();
                    if (fields.Count > 0 || field.Length > 0 || quoted)
                    {
                        EndField();
                        yield return new CsvRecord(recordLine, [.. fields]);
                        fields.Clear();
                    }
                    line++;
                    recordLine = line;
                    break;
                case '"' when field.Length == 0 && !quoted:
                    inQuotes = true;
                    quoteLine = line;
                    break;
                case '"':
                    throw new InvalidDataException(
                        $"{source} line {line}: a quote inside a field that does not start with one; enclose the whole field in quotes and double the quotes inside it (\"\")");
                default:
                    if (quoted)
                        throw new InvalidDataException(
                            $"{source} line {line}: '{ch}' follows the closing quote of a field; a quoted field must end at its closing quote, or its quotes be doubled (\"\")");
                    field.Append(ch);
                    break;
            }
        }

        if (inQuotes)
            throw new InvalidDataException($"{source} line {quoteLine}: the quoted field that starts here is never closed; add its closing quote");
        if (fields.Count > 0 || field.Length > 0 || quoted)
        {
            EndField();
            yield return new CsvRecord(recordLine, [.. fields]);
        }
    }
}
