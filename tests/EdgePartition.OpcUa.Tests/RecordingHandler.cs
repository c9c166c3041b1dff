using System.Collections.Concurrent;
using EdgePartition.OpcUa.Client.Subscriptions;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Tests;

/// <summary>Keeps every notification a subscription delivers, for tests to wait on and inspect.</summary>
internal sealed class RecordingHandler : ISubscriptionHandler
{
    private readonly object _gate = new();
    private readonly Dictionary<uint, List<DataValue>> _values = [];
    private readonly List<uint> _statuses = [];

    public ConcurrentQueue<string> Log { get; } = new();

    public int Messages { get; private set; }

    public void OnDataChange(OpcUaSubscription subscription, uint clientHandle, in DataValue value)
    {
        lock (_gate)
        {
            if (!_values.TryGetValue(clientHandle, out var list))
            {
                _values[clientHandle] = list = [];
            }

            list.Add(value);
        }
    }

    public void OnStatusChange(OpcUaSubscription subscription, uint status)
    {
        lock (_gate)
        {
            _statuses.Add(status);
        }
    }

    public void OnPublishComplete(OpcUaSubscription subscription)
    {
        lock (_gate)
        {
            Messages++;
        }
    }

    public DataValue[] ValuesOf(uint handle)
    {
        lock (_gate)
        {
            return _values.TryGetValue(handle, out var list) ? [.. list] : [];
        }
    }

    public double[] NumbersOf(uint handle) => [.. ValuesOf(handle).Select(v => v.Value.ToDouble())];

    public int HandlesWithAtLeast(int count)
    {
        lock (_gate)
        {
            return _values.Values.Count(list => list.Count >= count);
        }
    }

    public uint[] Statuses
    {
        get
        {
            lock (_gate)
            {
                return [.. _statuses];
            }
        }
    }
}
