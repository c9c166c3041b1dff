using System.Net;

namespace EdgePartition.S7.Server;

/// <summary>A client connected, was rejected (too many clients) or disconnected.</summary>
public sealed class S7ServerClientEventArgs(EndPoint? remote, int clientCount, Exception? error = null) : EventArgs
{
    public EndPoint? Remote { get; } = remote;

    /// <summary>Clients connected after the event.</summary>
    public int ClientCount { get; } = clientCount;

    /// <summary>Why the connection ended, when it was a protocol error or a broken socket.</summary>
    public Exception? Error { get; } = error;
}

/// <summary>A client read or wrote an item.</summary>
public sealed class S7ServerAccessEventArgs(EndPoint? remote, S7Area area, int number, int offset, int length, S7ReturnCode result) : EventArgs
{
    public EndPoint? Remote { get; } = remote;

    public S7Area Area { get; } = area;

    /// <summary>DB number (0 for other areas).</summary>
    public int Number { get; } = number;

    /// <summary>Byte offset, or element number for counters and timers.</summary>
    public int Offset { get; } = offset;

    /// <summary>Bytes read or written.</summary>
    public int Length { get; } = length;

    public S7ReturnCode Result { get; } = result;
}
