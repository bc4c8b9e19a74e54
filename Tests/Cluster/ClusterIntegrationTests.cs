using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using ProbeGrid.Client;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Grid;
using Xunit.Abstractions;

using static ProbeGrid.Tests.Cluster.ClusterWaits;

namespace ProbeGrid.Tests.Cluster;

/// <summary>
/// The cluster as operators run it: a real Redis (or Azurite, the Azure Storage emulator) and separate silo
/// processes on loopback. Silos are SIGKILLed and added while a sweep runs; every unit must be recorded exactly
/// once, with the results a single silo computes; and the same with mutual TLS on and a Redis password
/// (TlsClusterTests covers who is refused). On Azurite, Azurite itself is also stopped and restarted mid-sweep.
/// </summary>
public sealed class ClusterIntegrationTests(ITestOutputHelper output)
{
    /// <summary>Enough work that a silo added mid-sweep still finds checkpoints to run.</summary>
    private const int Checkpoints = 24;

    /// <summary>Checkpoints the single-silo reference run recomputes (the first ones; the same files).</summary>
    private const int ReferenceCheckpoints = 4;

    /// <param name="storage">where membership, grain state and reminders live (<see cref="ClusterStore"/>).</param>
    /// <param name="tls">mutual TLS between silos and client (certificates from scripts/certs) and, on Redis, an ACL password.</param>
    [Theory]
    [InlineData(ClusterStore.Redis, false)]
    [InlineData(ClusterStore.Redis, true)]
    [InlineData(ClusterStore.Azure, true)]
    public async Task A_sweep_survives_a_killed_silo_and_a_stopped_one_uses_an_added_one_and_records_every_unit_once(string storage, bool tls)
    {
        using var root = new TempFolder();
        var checkpoints = GridTestRun.WriteCheckpoints(root.Path, Checkpoints);
        var spec = GridTestRun.Spec(checkpoints, maxEpochs: 15, train: 3000);
        var secured = tls ? SecuredCluster.Make(root.Path, "alice") : null;
        using var store = await ClusterStore.StartAsync(storage, root.Path, secured?.RedisSettings ?? []);
        string[] security = secured?.SiloSettings ?? [];
        var silos = new List<SiloProcess>();
        try
        {
            for (var i = 0; i < 3; i++) silos.Add(StartSilo($"silo{i}", store, root.Path, security));
            await using var connection = await ConnectAsync(store, secured);
            await WaitForSilosAsync(connection, 3);

            Assert.True((await connection.Client.SubmitAsync(spec, "killed", root.Path)).Accepted);
            var before = await GridTestRun.WaitUntilAsync(connection.Client, "killed", s => s.Succeeded >= GridTestRun.Taps, TimeSpan.FromMinutes(4));
            Assert.True(before.Succeeded < before.TotalUnits, "the sweep finished before a silo was killed: make it longer");

            silos[1].Kill();
            var added = StartSilo("silo3", store, root.Path, security);
            silos.Add(added);
            await WaitForSilosAsync(connection, 3);
            // And one more leaves gracefully, as a scaled-down pod does: its units are finished or handed back.
            await WaitUntilAsync(connection.Client, "killed", s => s.Succeeded >= before.Succeeded + GridTestRun.Taps, TimeSpan.FromMinutes(4));
            Assert.Equal(0, silos[0].Terminate(TimeSpan.FromSeconds(90)));
            var final = await WaitUntilAsync(connection.Client, "killed", s => s.IsFinished, TimeSpan.FromMinutes(6));

            foreach (var failure in await RetriedAsync(() => connection.Client.GetFailuresAsync("killed"))) output.WriteLine($"failed: {failure}");
            Assert.Equal(SweepPhase.Completed, final.Phase);
            Assert.Equal(Checkpoints * GridTestRun.Taps, final.TotalUnits);
            Assert.Equal(final.TotalUnits, final.Succeeded);
            var results = await RetriedAsync(() => connection.Client.GetResultsAsync("killed"));
            Assert.Equal(final.TotalUnits * MetricNames.Probe.Count, results.Length);
            Assert.Equal(results.Length, results.Select(v => (v.Checkpoint, v.Layer, v.Repeat, v.Metric)).Distinct().Count());

            var ran = (await RetriedAsync(() => UnitSilosAsync(connection, "killed"))).Distinct().ToList();
            output.WriteLine($"units ran on: {string.Join(", ", ran)}");
            Assert.Contains(ran, s => s.Contains($":{added.SiloPort}:", StringComparison.Ordinal)); // the added silo got work

            // CKA across processes, its typed settings carried to every silo; with this run as its own peer, every layer is its peer exactly.
            var cka = spec with
            {
                Analyses = [new AnalysisSpec("cka", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
                    [KeyValuePair.Create("samples", "100"), KeyValuePair.Create("peer", checkpoints)]))],
            };
            Assert.True((await connection.Client.SubmitAsync(cka, "cka", root.Path)).Accepted);
            var ckaStatus = await WaitUntilAsync(connection.Client, "cka", s => s.IsFinished, TimeSpan.FromMinutes(4));
            Assert.Equal(ckaStatus.TotalUnits, ckaStatus.Succeeded);
            var similarities = await RetriedAsync(() => connection.Client.GetResultsAsync("cka"));
            var toPeer = similarities.Where(v => v.Metric == "cka.peer").ToList();
            Assert.Equal(Checkpoints * GridTestRun.Taps, toPeer.Count);
            Assert.All(toPeer, v => Assert.Equal(1.0, v.Value, 9));

            // The same units on one in-process silo give the same numbers (the first checkpoints' files, copied).
            var referenceRun = Path.Combine(root.Path, "reference-run");
            Directory.CreateDirectory(referenceRun);
            File.Copy(Path.Combine(checkpoints, "model.json"), Path.Combine(referenceRun, "model.json"));
            for (var c = 0; c < ReferenceCheckpoints; c++)
                File.Copy(Path.Combine(checkpoints, GridTestRun.CheckpointName(c) + ".pt"), Path.Combine(referenceRun, GridTestRun.CheckpointName(c) + ".pt"));
            await using var single = await GridCluster.StartAsync(root.Path);
            Assert.True((await single.Client.SubmitAsync(spec with { Model = spec.Model with { Checkpoints = referenceRun } }, "single", root.Path)).Accepted);
            await GridTestRun.WaitUntilAsync(single.Client, "single", s => s.IsFinished, TimeSpan.FromMinutes(4));
            var reference = (await single.Client.GetResultsAsync("single")).ToDictionary(v => (v.Checkpoint, v.Layer, v.Metric));
            Assert.Equal(ReferenceCheckpoints * GridTestRun.Taps * MetricNames.Probe.Count, reference.Count);
            foreach (var value in results.Where(v => reference.ContainsKey((v.Checkpoint, v.Layer, v.Metric))))
            {
                var expected = reference[(value.Checkpoint, value.Layer, value.Metric)].Value;
                Assert.True(Math.Abs(expected - value.Value) <= 1e-5 * Math.Max(1, Math.Abs(expected)),
                    $"{value.Checkpoint}/{value.Layer}/{value.Metric}: cluster {value.Value} vs single silo {expected}");
            }
        }
        catch
        {
            foreach (var silo in silos) output.WriteLine($"--- {silo.Name}{Environment.NewLine}{silo.Output}");
            throw;
        }
        finally
        {
            foreach (var silo in silos) silo.Dispose();
        }
    }

    /// <remarks>On Azurite the whole-cluster restart, with the reminder waking the sweep, is <see cref="Azurite_killed_mid_sweep_loses_nothing_it_had_saved_and_the_sweep_records_every_unit_once"/>'s
    /// second half (the suite's time: each of these runs minutes); add <c>[InlineData(ClusterStore.Azure)]</c> to run this one there too.</remarks>
    [Theory]
    [InlineData(ClusterStore.Redis)]
    public async Task A_cluster_restarted_mid_sweep_resumes_it_by_itself_without_spending_attempts_on_dead_silos_and_serves_the_dashboard(string storage)
    {
        using var root = new TempFolder();
        var checkpoints = GridTestRun.WriteCheckpoints(root.Path, Checkpoints);
        var spec = GridTestRun.Spec(checkpoints, maxEpochs: 15, train: 3000);
        using var store = await ClusterStore.StartAsync(storage, root.Path, []);
        var silos = new List<SiloProcess>();
        try
        {
            for (var i = 0; i < 2; i++) silos.Add(StartSilo($"first{i}", store, root.Path));
            SweepStatus before;
            await using (var connection = await ConnectAsync(store))
            {
                await WaitForSilosAsync(connection, 2);
                Assert.True((await connection.Client.SubmitAsync(spec, "restart", root.Path)).Accepted);
                before = await GridTestRun.WaitUntilAsync(connection.Client, "restart", s => s.Succeeded >= GridTestRun.Taps, TimeSpan.FromMinutes(4));
            }
            foreach (var silo in silos) silo.Kill();
            Assert.True(before.Succeeded < before.TotalUnits, "the sweep finished before the cluster went down: make it longer");

            // One of the new silos serves the Orleans Dashboard. One attempt per unit: the calls lost to the old silos'
            // stale addresses, until the membership declares them dead, must not count as attempts.
            var dashboardPort = RedisServer.FreePort();
            silos.Add(StartSilo("second0", store, root.Path, $"--ProbeGrid:Silo:DashboardPort={dashboardPort}", "--ProbeGrid:Sweeps:MaxAttempts=1"));
            silos.Add(StartSilo("second1", store, root.Path, "--ProbeGrid:Sweeps:MaxAttempts=1"));
            await using var again = await ConnectAsync(store);
            await WaitForSilosAsync(again, 2);
            Assert.Contains("Orleans Dashboard", await GetWhenServingAsync($"http://127.0.0.1:{dashboardPort}/"));
            await AssertWakesByItselfAndCompletesOnceAsync(again.Client, "restart", silos.Skip(2), TimeSpan.FromMinutes(4));
        }
        catch
        {
            foreach (var silo in silos) output.WriteLine($"--- {silo.Name}{Environment.NewLine}{silo.Output}");
            throw;
        }
        finally
        {
            foreach (var silo in silos) silo.Dispose();
        }
    }

    /// <summary>
    /// Azurite SIGKILLed (a crash; it keeps its metadata in memory and saves it every 5 s) and started again while a sweep runs;
    /// then every silo SIGKILLed and Azurite killed and started once more, so what the new silos read comes from its disk.
    /// Every unit outcome Azurite had acknowledged longer than its save interval before a kill must come back as it was (a
    /// recomputed one would name another silo or time); what it acknowledged in its last seconds may be lost with it (the first
    /// kill comes just after a unit is acknowledged, to make that likely), and is then stored again or done again. The sweep's
    /// reminder, kept in Azurite's table, must wake it, and it must finish with every unit once.
    /// </summary>
    [Fact]
    public async Task Azurite_killed_mid_sweep_loses_nothing_it_had_saved_and_the_sweep_records_every_unit_once()
    {
        using var root = new TempFolder();
        var checkpoints = GridTestRun.WriteCheckpoints(root.Path, OutageCheckpoints);
        var spec = GridTestRun.Spec(checkpoints, maxEpochs: 15, train: 3000);
        using var store = await ClusterStore.StartAsync(ClusterStore.Azure, root.Path, []);
        var azurite = store.Azurite!;
        var silos = new List<SiloProcess>();
        try
        {
            for (var i = 0; i < 2; i++) silos.Add(StartSilo($"first{i}", store, root.Path));
            Dictionary<UnitKey, UnitOutcome> acknowledged, unsaved;
            await using (var connection = await ConnectAsync(store))
            {
                await WaitForSilosAsync(connection, 2);
                Assert.True((await connection.Client.SubmitAsync(spec, "outage", root.Path)).Accepted);
                var before = await GridTestRun.WaitUntilAsync(connection.Client, "outage", s => s.Succeeded >= GridTestRun.Taps, TimeSpan.FromMinutes(4));

                // Acknowledged now, so on Azurite's disk after its next save. The kill comes just after the next unit is acknowledged,
                // which Azurite has then most likely not saved.
                var saved = await RetriedAsync(() => OutcomesAsync(connection, "outage"));
                await Task.Delay(AzuriteServer.SaveInterval + TimeSpan.FromSeconds(1));
                var done = (await connection.Client.GetStatusAsync("outage")).Succeeded;
                await WaitUntilAsync(connection.Client, "outage", s => s.Succeeded > done, TimeSpan.FromMinutes(4));
                azurite.Kill();
                unsaved = (await RetriedAsync(() => OutcomesAsync(connection, "outage"))).Where(o => !saved.ContainsKey(o.Key)).ToDictionary();
                await Task.Delay(TimeSpan.FromSeconds(3));
                await azurite.StartAsync();
                var after = await WaitUntilAsync(connection.Client, "outage", s => s.Succeeded >= before.Succeeded + 2 * GridTestRun.Taps, TimeSpan.FromMinutes(4));
                Assert.True(after.Succeeded < after.TotalUnits, "the sweep finished before the cluster went down: make it longer");
                Assert.Equal(0, after.Failed);
                acknowledged = await RetriedAsync(() => OutcomesAsync(connection, "outage"));
                AssertUnchanged(saved, acknowledged, "before Azurite's last save ahead of its kill");
                output.WriteLine($"{saved.Count} unit outcomes saved before the first kill, {unsaved.Count} acknowledged in its last seconds, " +
                                 $"{acknowledged.Count} acknowledged before the second");
                Assert.True(acknowledged.Count >= 2, "too few outcomes acknowledged to compare");
            }
            foreach (var silo in silos) silo.Kill();
            await Task.Delay(AzuriteServer.SaveInterval + TimeSpan.FromSeconds(1));
            azurite.Kill();
            await azurite.StartAsync();

            silos.Add(StartSilo("second0", store, root.Path));
            silos.Add(StartSilo("second1", store, root.Path));
            await using var again = await ConnectAsync(store);
            await WaitForSilosAsync(again, 2);
            // All but those Azurite may have lost at the first kill: the silos were killed before they could notice that loss.
            var kept = acknowledged.Where(o => !unsaved.ContainsKey(o.Key)).ToDictionary();
            AssertUnchanged(kept, await RetriedAsync(() => OutcomesAsync(again, "outage", kept.Keys)), "before the silos' kill");

            // Its reminder is kept in Azurite's table.
            await AssertWakesByItselfAndCompletesOnceAsync(again.Client, "outage", silos.Skip(2), TimeSpan.FromMinutes(6));

            // What the kill cost: outcomes acknowledged in Azurite's last seconds that it lost, done again (another silo or time).
            var redone = (await RetriedAsync(() => OutcomesAsync(again, "outage", unsaved.Keys))).Count(o => o.Value.Seconds != unsaved[o.Key].Seconds);
            output.WriteLine($"{redone} of the {unsaved.Count} outcomes acknowledged in Azurite's last seconds were done again; silo log lines: " +
                             string.Join(", ", new[] { "reloads its stored state", "storing it again" }.Select(p => $"'{p}' x{silos.Sum(s => Count(s.Output, p))}")));
        }
        catch
        {
            foreach (var silo in silos) output.WriteLine($"--- {silo.Name}{Environment.NewLine}{silo.Output}");
            throw;
        }
        finally
        {
            foreach (var silo in silos) silo.Dispose();
        }
    }

    /// <summary>
    /// Nobody calls the sweep after a whole-cluster restart: its reminder (every <see cref="KeepRunningPeriod"/> here) must wake it
    /// on one of the new silos, and it must finish with no unit failed and every unit's values once.
    /// </summary>
    private async Task AssertWakesByItselfAndCompletesOnceAsync(ProbeGridClient client, string sweepId, IEnumerable<SiloProcess> newSilos, TimeSpan timeout)
    {
        await Task.Delay(4 * KeepRunningPeriod);
        Assert.True(newSilos.Any(s => s.Output.Contains($"Sweep {sweepId} resumes on", StringComparison.Ordinal)),
            $"sweep {sweepId} did not resume within {4 * KeepRunningPeriod} of the restart with nobody calling it: its reminder did not wake it");
        var final = await WaitUntilAsync(client, sweepId, s => s.IsFinished, timeout);
        foreach (var failure in await RetriedAsync(() => client.GetFailuresAsync(sweepId))) output.WriteLine($"failed: {failure}");
        Assert.Equal(SweepPhase.Completed, final.Phase);
        Assert.Equal(0, final.Failed);
        Assert.Equal(final.TotalUnits, final.Succeeded);
        var results = await RetriedAsync(() => client.GetResultsAsync(sweepId));
        Assert.Equal(final.TotalUnits * MetricNames.Probe.Count, results.Length);
        Assert.Equal(results.Length, results.Select(v => (v.Checkpoint, v.Layer, v.Repeat, v.Metric)).Distinct().Count());
    }

    private static int Count(string text, string phrase) => (text.Length - text.Replace(phrase, "").Length) / phrase.Length;

    /// <summary>Each outcome in <paramref name="acknowledged"/> is in <paramref name="read"/> as it was: same silo, same seconds, same values.</summary>
    private static void AssertUnchanged(Dictionary<UnitKey, UnitOutcome> acknowledged, Dictionary<UnitKey, UnitOutcome> read, string when)
    {
        foreach (var (key, outcome) in acknowledged)
        {
            Assert.True(read.TryGetValue(key, out var back), $"{key}: acknowledged {when}, missing after it");
            Assert.True((outcome.Silo, outcome.Seconds) == (back.Silo, back.Seconds),
                $"{key}: acknowledged {when} as done on {outcome.Silo} in {outcome.Seconds} s, read back as done on {back.Silo} in {back.Seconds} s: it was done again");
            Assert.Equal(outcome.Metrics.Select(m => m.Value), back.Metrics.Select(m => m.Value));
        }
    }

    /// <summary>Checkpoints of the Azurite outage sweep: enough for work before, during and after the restarts.</summary>
    private const int OutageCheckpoints = 10;

    /// <summary>The stored outcomes of the sweep's units that its results list as done (a running unit would answer only once done).</summary>
    private static async Task<Dictionary<UnitKey, UnitOutcome>> OutcomesAsync(ClusterConnection connection, string sweepId, IEnumerable<UnitKey>? keys = null)
    {
        keys ??= (await connection.Client.GetResultsAsync(sweepId)).Select(v => new UnitKey(v.Checkpoint, v.Layer, "probe", v.Repeat)).Distinct().ToList();
        var outcomes = new Dictionary<UnitKey, UnitOutcome>();
        foreach (var key in keys)
            if (await connection.ClusterClient.GetGrain<GrainsInterfaces.Grains.ILayerAnalysisGrain>(GrainKeys.Unit(sweepId, key)).GetOutcome() is { } outcome) outcomes[key] = outcome;
        return outcomes;
    }

    /// <summary>The sweeps' keep-running reminder period on these silos: seconds, so a restarted cluster's test need not wait minutes.</summary>
    private static readonly TimeSpan KeepRunningPeriod = TimeSpan.FromSeconds(10);

    private SiloProcess StartSilo(string name, ClusterStore store, string root, params string[] settings) =>
        SiloProcess.Start(name, store.RedisConnectionString, "it", root, root,
            ["--ProbeGrid:Sweeps:CheckpointsPerSilo=1", $"--ProbeGrid:Sweeps:KeepRunningPeriod={KeepRunningPeriod}", .. store.SiloSettings, .. settings]);

    /// <summary>The page at <paramref name="url"/>, retried while the silo's web server is still starting.</summary>
    private static async Task<string> GetWhenServingAsync(string url)
    {
        using var http = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await http.GetStringAsync(url);
            }
            catch (HttpRequestException) when (attempt < 60)
            {
                await Task.Delay(500);
            }
        }
    }

    private static Task<ClusterConnection> ConnectAsync(ClusterStore store, SecuredCluster? secured = null) =>
        ClusterConnection.ConnectAsync(store.ClientStorage, "it", "it", logging => logging.SetMinimumLevel(LogLevel.Warning), CancellationToken.None,
            secured?.Credentials("alice"));




    private static async Task<IEnumerable<string>> UnitSilosAsync(ClusterConnection connection, string sweepId)
    {
        var silos = new List<string>();
        for (var c = 0; c < Checkpoints; c++)
        {
            var key = new UnitKey(GridTestRun.CheckpointName(c), "input", "probe", 0);
            var outcome = await connection.ClusterClient.GetGrain<GrainsInterfaces.Grains.ILayerAnalysisGrain>(GrainKeys.Unit(sweepId, key)).GetOutcome();
            silos.Add(outcome!.Silo);
        }
        return silos;
    }
}
