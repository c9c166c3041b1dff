using System.Text.Json;

namespace EdgePartition.Northbound.Publishing;

/// <summary>The publisher's state as the status file shows it (read by the consumers and by people).</summary>
internal sealed record NorthboundStatus(
    string Broker,
    bool Connected,
    string? PrimaryHost,
    bool PrimaryHostOnline,
    bool Born,
    ulong BdSeq,
    int Seq,
    long StoredMessages,
    long StoredBytes,
    NorthboundCounters Counters,
    int DevicesBorn,
    int Devices,
    long UpdatedUnixMs);

/// <summary>
/// edgepart.PARTITION.northbound.json beside the segments, replaced atomically (write, then rename) about once a
/// second: small, readable with cat or jq, and by the consumers' status API without a shared-memory format.
/// </summary>
internal sealed class NorthboundStatusFile(string path)
{
    private static readonly JsonSerializerOptions Options = new() { IncludeFields = true, WriteIndented = false, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Path => path;

    public void Write(NorthboundStatus status)
    {
        try
        {
            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(status, Options));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Status is best effort: the publisher goes on.
        }
    }
}
