using System.Net.Sockets;
using System.Text;

namespace EdgePartition.Hosting.Systemd;

/// <summary>
/// The sd_notify protocol: newline-separated VAR=value assignments in one datagram to the Unix socket systemd names
/// in NOTIFY_SOCKET (a path, or an abstract name written with a leading '@'). Without NOTIFY_SOCKET (a console, a
/// container, a test) every call is a no-op that returns false. Thread-safe.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private static readonly byte[] ReadyMessage = "READY=1"u8.ToArray();
    private static readonly byte[] StoppingMessage = "STOPPING=1"u8.ToArray();
    private static readonly byte[] WatchdogMessage = "WATCHDOG=1"u8.ToArray();

    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endPoint;

    /// <param name="notifySocket">The NOTIFY_SOCKET value, or null/empty for a notifier that does nothing.</param>
    public SystemdNotifier(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket))
        {
            return;
        }

        // An abstract socket is announced as "@name"; its real address starts with a NUL byte.
        _endPoint = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        NotifySocket = notifySocket;
    }

    /// <summary>From the NOTIFY_SOCKET environment variable systemd sets for Type=notify services.</summary>
    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    public bool IsEnabled => _socket is not null;

    public string? NotifySocket { get; }

    /// <summary>The service is up and serving.</summary>
    public bool Ready() => Send(ReadyMessage);

    /// <summary>The service is shutting down (systemd then waits for it rather than calling it failed).</summary>
    public bool Stopping() => Send(StoppingMessage);

    /// <summary>Feeds systemd's watchdog (WatchdogSec=); send only while the process is known to work.</summary>
    public bool Watchdog() => Send(WatchdogMessage);

    /// <summary>A one-line status shown by `systemctl status`.</summary>
    public bool Status(string status)
        => Notify("STATUS=" + status.ReplaceLineEndings(" "));

    /// <summary>Sends raw assignments, e.g. "READY=1\nSTATUS=serving".</summary>
    public bool Notify(string assignments) => IsEnabled && Send(Encoding.UTF8.GetBytes(assignments));

    private bool Send(byte[] datagram)
    {
        if (_socket is null)
        {
            return false;
        }

        try
        {
            return _socket.SendTo(datagram, SocketFlags.None, _endPoint!) == datagram.Length;
        }
        catch (SocketException)
        {
            // systemd gone or socket not ours: the service still runs, it only loses the supervision message.
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose() => _socket?.Dispose();
}
