using EdgePartition.Hosting.Systemd;

namespace EdgePartition.Hosting.Health;

/// <summary>
/// What the process is doing, in one line ("polling 3 S7 devices, 2 connected"): sent to systemd as STATUS= at
/// once, repeated with cycle jitter by the lifetime service, and readable by status endpoints.
/// </summary>
public sealed class ProcessStatus(SystemdNotifier notifier)
{
    private volatile string _text = "starting";

    public string Text => _text;

    public void Set(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == _text)
        {
            return;
        }

        _text = text;
        notifier.Status(text);
    }
}
