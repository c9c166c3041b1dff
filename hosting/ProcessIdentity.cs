namespace EdgePartition.Hosting;

/// <summary>Which partition process this is; every log line and STATUS= carries it.</summary>
/// <param name="Partition">The partition name from its config ("line1").</param>
/// <param name="Process">The process role, with the protocol for collectors ("collector-s7", "sync", "consumers").</param>
public sealed record ProcessIdentity(string Partition, string Process)
{
    public override string ToString() => $"{Partition}/{Process}";
}
