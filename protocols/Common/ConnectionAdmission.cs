using System.Net;

namespace EdgePartition.Protocols;

/// <summary>What a server knows of one of its connections to decide whether it gives way to a new client.</summary>
public interface IAdmittedConnection
{
    /// <summary>The client's IP address (connections per address are limited).</summary>
    IPAddress? RemoteAddress { get; }

    /// <summary><see cref="Environment.TickCount64"/> when the client last sent something, or connected.</summary>
    long LastActivityMs { get; }

    /// <summary>The client finished its handshake or sent a first request: it is someone, not just a socket.</summary>
    bool HasTalked { get; }

    /// <summary>Closed to make room for a new client (no longer counted).</summary>
    bool Evicted { get; }

    /// <summary>Closes the connection to give its place away.</summary>
    void Evict();
}

/// <summary>How many connections a server holds and when one gives way to a new client.</summary>
/// <param name="MaxClients">Connections served at once.</param>
/// <param name="MaxClientsPerAddress">Connections one IP address may hold.</param>
/// <param name="IdleBeforeReplaceable">
/// How long a client that talked must be silent before a new client may take its place; a connection that never
/// talked may be replaced at once.
/// </param>
public readonly record struct AdmissionLimits(int MaxClients, int MaxClientsPerAddress, TimeSpan IdleBeforeReplaceable);

/// <summary>
/// The admission rule shared by the S7 and Modbus servers: a full server (or an address holding its limit) admits a
/// new client by closing the longest-silent connection that may give way (of that address when it holds its limit, of
/// all otherwise), so sockets held without being used cannot lock out a client that wants to talk, and one host cannot
/// hold every place. Only when every candidate is busy is the new client refused.
/// </summary>
public static class ConnectionAdmission
{
    /// <summary>Whether a client from <paramref name="address"/> is admitted (after evicting at most one connection).</summary>
    public static bool TryAdmit<T>(IEnumerable<T> connections, IPAddress? address, in AdmissionLimits limits, long nowMs)
        where T : class, IAdmittedConnection
    {
        ArgumentNullException.ThrowIfNull(connections);
        int total = 0, fromAddress = 0;
        T? oldest = null, oldestFromAddress = null;
        long quietMs = (long)limits.IdleBeforeReplaceable.TotalMilliseconds;
        foreach (var connection in connections)
        {
            if (connection.Evicted)
            {
                continue;
            }

            total++;
            bool sameAddress = address is not null && address.Equals(connection.RemoteAddress);
            fromAddress += sameAddress ? 1 : 0;
            if (connection.HasTalked && nowMs - connection.LastActivityMs < quietMs)
            {
                continue; // busy: never replaced
            }

            if (oldest is null || connection.LastActivityMs < oldest.LastActivityMs)
            {
                oldest = connection;
            }

            if (sameAddress && (oldestFromAddress is null || connection.LastActivityMs < oldestFromAddress.LastActivityMs))
            {
                oldestFromAddress = connection;
            }
        }

        T? victim;
        if (fromAddress >= limits.MaxClientsPerAddress)
        {
            victim = oldestFromAddress;
        }
        else if (total >= limits.MaxClients)
        {
            victim = oldest;
        }
        else
        {
            return true;
        }

        if (victim is null)
        {
            return false;
        }

        victim.Evict();
        return true;
    }
}
