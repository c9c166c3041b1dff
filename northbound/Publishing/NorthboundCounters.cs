namespace EdgePartition.Northbound.Publishing;

/// <summary>What the publisher has done, for the status file and the log. Written by the publisher loop only.</summary>
internal sealed class NorthboundCounters
{
    public long MessagesPublished;
    public long MetricsPublished;
    public long Births;
    public long Rebirths;
    public long StoredMessages;
    public long ReplayedMessages;
    public long DroppedHistorical;
    public long PublishFailures;
    public long ConnectFailures;
    public long Sessions;
    public long CommandsAccepted;
    public long CommandsRefused;
}
