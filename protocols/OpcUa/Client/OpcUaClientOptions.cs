using EdgePartition.OpcUa.Framing;

namespace EdgePartition.OpcUa.Client;

/// <summary>How an <see cref="OpcUaClient"/> connects and what it asks of the server.</summary>
public sealed record OpcUaClientOptions
{
    /// <summary>The endpoint to dial, <c>opc.tcp://host:port[/path]</c>; its host is used even if the server advertises another.</summary>
    public required string EndpointUrl { get; init; }

    /// <summary>Bounds the whole connect: TCP, HEL/ACK, OPN, CreateSession and ActivateSession.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bounds every request; a late response fails the request with reason Timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Requested session timeout; the server revises it.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often an idle connection is checked by reading the server state; null: a third of the session timeout
    /// the server granted. No answer within <see cref="RequestTimeout"/> marks the connection lost.
    /// </summary>
    public TimeSpan? KeepAliveInterval { get; init; }

    /// <summary>References per node a Browse asks for (0 = the server decides); the rest comes through BrowseNext.</summary>
    public uint MaxReferencesPerNode { get; init; } = 1000;

    /// <summary>Nodes per Read request; larger reads are split; the server's own MaxNodesPerRead (read at connect) lowers it further.</summary>
    public int MaxNodesPerRead { get; init; } = 1000;

    public string ApplicationUri { get; init; } = "urn:edgepartition:collector";

    public string SessionName { get; init; } = "EdgePartition";

    public TransportLimits TransportLimits { get; init; } = TransportLimits.ClientDefault;

    /// <summary>The clock of every timeout and delay inside the client (connect, requests, token renewal).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
