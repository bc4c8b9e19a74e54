namespace ProbeGrid.Client.Export;

/// <summary>One record of a CSV file: its fields, unquoted, and the 1-based line it starts on.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);
