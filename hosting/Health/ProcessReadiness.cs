namespace EdgePartition.Hosting.Health;

/// <summary>
/// Decides when the process "really serves" so READY=1 goes to systemd only then: after the host has started and
/// every gate registered before that (a segment opened, a listener bound, a first device cycle) is open.
/// Register gates from constructors or StartAsync, before the host reports started.
/// </summary>
public sealed class ProcessReadiness
{
    private readonly Lock _gate = new();
    private readonly List<string> _pending = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _hostStarted;

    /// <summary>Completes when the process is ready (READY=1 is sent at that moment).</summary>
    public Task WhenReady => _ready.Task;

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Names of the gates still closed, for logs and status.</summary>
    public IReadOnlyList<string> Pending
    {
        get
        {
            lock (_gate)
            {
                return [.. _pending];
            }
        }
    }

    /// <summary>Adds a condition to readiness; dispose or call <see cref="ReadinessGate.Open"/> when it holds.</summary>
    public ReadinessGate Register(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_gate)
        {
            if (!_ready.Task.IsCompleted)
            {
                _pending.Add(name);
            }
        }

        return new ReadinessGate(this, name);
    }

    internal void Open(string name)
    {
        lock (_gate)
        {
            _pending.Remove(name);
            CompleteIfReady();
        }
    }

    internal void MarkHostStarted()
    {
        lock (_gate)
        {
            _hostStarted = true;
            CompleteIfReady();
        }
    }

    private void CompleteIfReady()
    {
        if (_hostStarted && _pending.Count == 0)
        {
            _ready.TrySetResult();
        }
    }
}
