using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Tests.Data;

namespace ProbeGrid.Tests.Cli;

/// <summary>
/// `probegrid train`'s progress: with its output redirected (as in CI) one clean line per tenth of the steps, no record
/// dumps; on a terminal (a pseudo-terminal from util-linux's `script`) a live bar instead of those lines.
/// </summary>
public sealed partial class TrainProgressTests
{
    [GeneratedRegex(@"\] step (\d+)/100 \((\d+)%\), loss (--|[0-9.Ee+-]+), (--|[0-9.]+) steps/s( \(\d+ samples/s\))?, ETA (--:--:--|done|\d\d+:\d\d:\d\d)(, wrote step-\d{7}\.pt)?$")]
    private static partial Regex ProgressLine();

    [Fact]
    public void Redirected_output_gets_one_clean_line_per_interval()
    {
        using var root = new TemporaryFolder();
        var (code, output, errors) = CliProcess.Run(root.Path, TimeSpan.FromMinutes(3), "train", "--model", "mlp", "--param", "depth=2", "--param", "width=8",
            "--dataset", DatasetCatalog.GaussianSignName, "--dataset-param", "dimension=8", "--dataset-param", "trainCount=200",
            "--dataset-param", "validationCount=50", "--dataset-param", "testCount=50",
            "--steps", "100", "--batch-size", "16", "--checkpoint-every-steps", "50", "--seed", "1", "--out", "run");
        Assert.True(code == 0, errors);
        Assert.Equal("", output.Trim());
        Assert.DoesNotContain("TrainingProgress", errors);
        Assert.DoesNotContain("MeanLoss", errors);
        Assert.DoesNotContain("loss ,", errors);
        Assert.DoesNotContain("\u001b", errors); // no bar, no cursor movement

        var lines = errors.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Contains("] step ", StringComparison.Ordinal)).ToList();
        Assert.All(lines, l => Assert.Matches(ProgressLine(), l));
        var steps = lines.Select(l => int.Parse(ProgressLine().Match(l).Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        // The first report, each tenth of the steps (and maybe a line every 10 s between), in order, once each.
        Assert.Equal(steps.Order(), steps);
        Assert.Equal(steps.Distinct(), steps);
        Assert.Subset(steps.ToHashSet(), Enumerable.Range(0, 11).Select(i => 10 * i).ToHashSet());
        Assert.Equal("step 0/100 (0%), loss --, -- steps/s, ETA --:--:--, wrote step-0000000.pt", lines[0][(lines[0].IndexOf("] ", StringComparison.Ordinal) + 2)..]);
        Assert.Matches(@"step 50/100 \(50%\), loss [0-9.]+, [0-9.]+ steps/s \(\d+ samples/s\), ETA \d\d:\d\d:\d\d, wrote step-0000050\.pt$", lines.Single(l => l.Contains("step 50/100", StringComparison.Ordinal)));
        Assert.Matches(@"step 100/100 \(100%\), loss [0-9.]+, [0-9.]+ steps/s \(\d+ samples/s\), ETA done, wrote step-0000100\.pt$", lines[^1]);
        Assert.Contains("Validation accuracy", errors);
    }

    [Fact]
    public async Task A_terminal_gets_a_live_bar_instead_of_lines()
    {
        using var root = new TemporaryFolder();
        string[] train = ["train", "--model", "mlp", "--param", "depth=2", "--param", "width=8", "--dataset", DatasetCatalog.GaussianSignName,
            "--dataset-param", "dimension=8", "--dataset-param", "trainCount=200", "--dataset-param", "validationCount=50", "--dataset-param", "testCount=50",
            "--steps", "60", "--batch-size", "16", "--checkpoint-every-steps", "30", "--seed", "1", "--out", "run", "--data-root", root.Path];
        var command = string.Join(" ", new[] { "dotnet", Path.Combine(AppContext.BaseDirectory, "probegrid.dll") }.Concat(train).Select(a => $"'{a}'"));
        var start = new ProcessStartInfo("script", ["-qec", command, "/dev/null"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = root.Path,
        };
        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("PROBEGRID_STATE");
        start.Environment.Remove("PROBEGRID_CLUSTER");
        using var script = Process.Start(start)!;
        var errors = script.StandardError.ReadToEndAsync();
        var screen = await script.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(3));
        await script.WaitForExitAsync();
        Assert.True(script.ExitCode == 0, screen + await errors);

        var text = Regex.Replace(screen, @"\x1b\[[0-9;?]*[A-Za-z]", ""); // the bar's cursor movements and colours
        Assert.Contains("\u2501", text); // the bar itself (━)
        Assert.Matches(@"step 60/60, loss [0-9.]+, [0-9.]+ steps/s, ETA done", text);
        Assert.DoesNotContain("] step ", text); // no log lines of progress on a terminal
        Assert.Contains("Validation accuracy", text);
    }
}
