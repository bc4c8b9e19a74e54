using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace ProbeGrid.Analysis.Data;

/// <summary>
/// Prepares consecutive batches on a background thread ahead of the caller that reads them, so reading (decoding images) overlaps
/// what the caller does with each batch (the forward pass). At most <c>ahead</c> batches are prepared, or being prepared, beyond
/// the one the caller holds: memory is bounded by <c>ahead</c> + 1 batches whatever the split's size. Batches come in order, and an
/// error preparing one is thrown when the caller reaches that batch, after the ones before it.
/// </summary>
public static class BatchPrefetcher
{
    /// <param name="total">samples in all.</param>
    /// <param name="batchSize">samples per batch (the last batch may be shorter).</param>
    /// <param name="ahead">batches prepared beyond the one the caller holds; 0 prepares each on the caller's thread when asked for.</param>
    /// <param name="prepare">(start, count, ct): the batch's values; called in order, one batch at a time.</param>
    public static IEnumerable<T> Batches<T>(int total, int batchSize, int ahead, Func<int, int, CancellationToken, T> prepare, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(ahead);
        return ahead == 0 ? OnDemand(total, batchSize, prepare, ct) : Ahead(total, batchSize, ahead, prepare, ct);
    }

    private static IEnumerable<T> OnDemand<T>(int total, int batchSize, Func<int, int, CancellationToken, T> prepare, CancellationToken ct)
    {
        for (var start = 0; start < total; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            yield return prepare(start, Math.Min(batchSize, total - start), ct);
        }
    }

    private static IEnumerable<T> Ahead<T>(int total, int batchSize, int ahead, Func<int, int, CancellationToken, T> prepare, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // A slot for each batch prepared, being prepared, or held by the caller: the caller gives one back when it takes the next.
        using var slots = new SemaphoreSlim(ahead + 1);
        using var ready = new BlockingCollection<(T Batch, ExceptionDispatchInfo? Error)>();
        var producer = new Thread(() =>
        {
            try
            {
                for (var start = 0; start < total; start += batchSize)
                {
                    slots.Wait(stop.Token);
                    ready.Add((prepare(start, Math.Min(batchSize, total - start), stop.Token), null));
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // the caller stopped reading
            }
            catch (Exception e)
            {
                ready.Add((default!, ExceptionDispatchInfo.Capture(e)));
            }
            finally
            {
                ready.CompleteAdding();
            }
        }) { IsBackground = true, Name = "probegrid-prefetch" };
        producer.Start();
        try
        {
            var holding = false;
            foreach (var (batch, error) in ready.GetConsumingEnumerable(ct))
            {
                if (holding) slots.Release(); // the caller is done with the previous batch
                error?.Throw();
                holding = true;
                yield return batch;
            }
        }
        finally
        {
            // Left early, failed or done: the producer stops at its next batch and is waited for, so nothing outlives the loop.
            stop.Cancel();
            producer.Join();
        }
    }
}
