namespace EdgePartition.OpcUa.Channel;

/// <summary>A request waiting for its response: the receive loop completes it with the assembled body or an error.</summary>
internal sealed class PendingRequest
{
    private readonly TaskCompletionSource<byte[]> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingRequest(string service) => Service = service;

    public string Service { get; }

    public Task<byte[]> Response => _completion.Task;

    public void Complete(byte[] body) => _completion.TrySetResult(body);

    public void Fail(Exception error) => _completion.TrySetException(error);
}
