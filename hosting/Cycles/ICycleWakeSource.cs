namespace EdgePartition.Hosting.Cycles;

/// <summary>
/// An external event that may start a cycle before its deadline, for instance a futex change word in a shared
/// segment. The loop calls <see cref="WaitForWake"/> on its own thread with the time left until the next deadline.
/// </summary>
/// <remarks>
/// Implementations return <c>true</c> when the event happened and <c>false</c> on timeout; an early return without
/// the event is allowed (the loop waits again). A stop request is noticed when the wait returns, so a wait should
/// not block much longer than the timeout it was given.
/// </remarks>
public interface ICycleWakeSource
{
    bool WaitForWake(TimeSpan timeout);
}
