namespace EdgePartition.Hosting.Cycles;

/// <summary>
/// The periodic work a <see cref="CycleLoop"/> runs. It runs on the loop's dedicated thread; a synchronously
/// completing <see cref="ValueTask"/> costs nothing, an asynchronous one blocks that thread until it completes.
/// An exception ends the loop (and, through the hosted service awaiting it, the host, so systemd restarts it):
/// catch what a cycle can recover from.
/// </summary>
public interface ICycleWork
{
    ValueTask RunCycleAsync(CycleTick tick, CancellationToken cancellationToken);
}
