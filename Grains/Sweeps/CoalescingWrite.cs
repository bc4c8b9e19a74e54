namespace ProbeGrid.Grains.Sweeps;

/// <summary>
/// One state write at a time, coalescing: requests that arrive during a write go into one more write after it,
/// so a burst of completions costs two writes, not one each. Used on the grain's turns only.
/// </summary>
internal sealed class CoalescingWrite(Func<Task> write)
{
    private Task? writing;
    private bool dirty;

    /// <summary>Completes when a write that started after this call has finished.</summary>
    public Task Request()
    {
        dirty = true;
        return writing ??= WriteWhileDirty();
    }

    private async Task WriteWhileDirty()
    {
        try
        {
            while (dirty)
            {
                dirty = false;
                await write();
            }
        }
        finally
        {
            writing = null;
        }
    }
}
