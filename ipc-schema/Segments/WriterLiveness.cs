namespace EdgePartition.Ipc;

/// <summary>What a reader can tell about a segment's writer.</summary>
public enum WriterLiveness
{
    /// <summary>Lease held, process running, heartbeat fresh.</summary>
    Alive,

    /// <summary>Lease held and process running, but no heartbeat for longer than allowed.</summary>
    Hung,

    /// <summary>Lease free, process dead, or the pid now belongs to another process.</summary>
    Gone,

    /// <summary>The writer stopped cleanly.</summary>
    Stopped,

    /// <summary>A new file (new layout) replaced this one: re-open the path.</summary>
    Superseded,
}
