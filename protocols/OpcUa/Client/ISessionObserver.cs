namespace EdgePartition.OpcUa.Client;

/// <summary>What a connect or reconnect kept of the server-side state (Part 4 §6.7).</summary>
public enum SessionRecovery
{
    /// <summary>A first session: nothing existed before.</summary>
    Created,

    /// <summary>ActivateSession on the existing session succeeded over a new channel: its subscriptions live on.</summary>
    Reactivated,

    /// <summary>The old session was gone and a new one was created: subscriptions must be transferred or rebuilt.</summary>
    Replaced,
}

/// <summary>Something that lives inside a session (the subscriptions) and must follow it across reconnects.</summary>
internal interface ISessionObserver
{
    /// <summary>The session is usable again; called before the client reports Connected. A throw fails the connect.</summary>
    Task OnSessionReadyAsync(SessionRecovery recovery, CancellationToken cancellationToken);

    /// <summary>The connection was found broken: send nothing until the next <see cref="OnSessionReadyAsync"/>.</summary>
    void OnConnectionLost();
}
