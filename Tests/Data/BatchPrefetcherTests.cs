using ProbeGrid.Analysis.Data;

namespace ProbeGrid.Tests.Data;

/// <summary>
/// The background reader behind a streamed split: batches in order, at most 'ahead' of them prepared beyond the one the caller
/// holds, prepared while the caller works, an error thrown at its own batch, and nothing left running when the caller stops.
/// </summary>
public sealed class BatchPrefetcherTests
{
    /// <summary>Counts the batches prepared; each is (start, count), after an optional pause that stands for decoding.</summary>
    private sealed class CountingReader(int pauseMs = 0)
    {
        private int prepared;
        private int preparing;

        public int Prepared => Volatile.Read(ref prepared);

        /// <summary>Whether a batch was being prepared while the caller was inside its loop body.</summary>
        public bool OverlappedCaller { get; private set; }

        public volatile bool CallerBusy;

        public List<int> Threads { get; } = [];

        public (int Start, int Count) Prepare(int start, int count, CancellationToken ct)
        {
            Interlocked.Increment(ref preparing);
            lock (Threads) Threads.Add(Environment.CurrentManagedThreadId);
            if (pauseMs > 0) Thread.Sleep(pauseMs);
            if (CallerBusy) OverlappedCaller = true;
            Interlocked.Increment(ref prepared);
            return (start, count);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void At_most_ahead_batches_are_prepared_beyond_the_one_held_and_the_queue_fills_to_that(int ahead)
    {
        var reader = new CountingReader(pauseMs: 2);
        var consumed = 0;
        var mostAhead = 0;
        var batches = new List<(int Start, int Count)>();
        foreach (var batch in BatchPrefetcher.Batches(100, 8, ahead, reader.Prepare, CancellationToken.None))
        {
            consumed++;
            reader.CallerBusy = true;
            Thread.Sleep(25); // a forward pass far slower than the reading: the reader runs ahead until it is held back
            mostAhead = Math.Max(mostAhead, reader.Prepared - consumed);
            Assert.InRange(reader.Prepared - consumed, 0, ahead);
            reader.CallerBusy = false;
            batches.Add(batch);
        }
        Assert.Equal(ahead, mostAhead);
        Assert.Equal(Enumerable.Range(0, 13).Select(b => (8 * b, Math.Min(8, 100 - 8 * b))), batches);
        Assert.Equal(13, reader.Prepared);
        Assert.True(reader.OverlappedCaller, "no batch was prepared while the caller worked on another");
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, reader.Threads);
    }

    [Fact]
    public void Without_prefetch_each_batch_is_prepared_on_the_callers_thread_when_asked_for()
    {
        var reader = new CountingReader();
        var consumed = 0;
        foreach (var batch in BatchPrefetcher.Batches(50, 8, 0, reader.Prepare, CancellationToken.None))
        {
            consumed++;
            Thread.Sleep(5);
            Assert.Equal(consumed, reader.Prepared);
            Assert.Equal(8 * (consumed - 1), batch.Start);
        }
        Assert.Equal(7, consumed);
        Assert.All(reader.Threads, id => Assert.Equal(Environment.CurrentManagedThreadId, id));
    }

    [Fact]
    public void Leaving_the_loop_early_stops_the_reader()
    {
        var reader = new CountingReader(pauseMs: 2);
        var taken = 0;
        foreach (var _ in BatchPrefetcher.Batches(1000, 4, 2, reader.Prepare, CancellationToken.None))
            if (++taken == 3) break;
        var prepared = reader.Prepared;
        Thread.Sleep(100);
        Assert.Equal(prepared, reader.Prepared); // nothing read after the loop was left
        Assert.InRange(prepared, 3, 3 + 2);
    }

    [Fact]
    public void An_error_is_thrown_at_its_own_batch_after_the_ones_before_it()
    {
        var delivered = new List<int>();
        var e = Assert.Throws<InvalidDataException>(() =>
        {
            foreach (var start in BatchPrefetcher.Batches(40, 5, 2, (start, _, _) => start == 15 ? throw new InvalidDataException("batch at 15 is broken") : start, CancellationToken.None))
                delivered.Add(start);
        });
        Assert.Equal("batch at 15 is broken", e.Message);
        Assert.Equal([0, 5, 10], delivered);
    }

    [Fact]
    public void Cancelling_the_caller_stops_the_loop()
    {
        using var cancel = new CancellationTokenSource();
        var taken = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in BatchPrefetcher.Batches(1000, 4, 2, (start, _, ct) => { Thread.Sleep(1); return start; }, cancel.Token))
                if (++taken == 2) cancel.Cancel();
        });
        Assert.Equal(2, taken);
    }
}
