namespace EdgePartition.S7.Channel;

/// <summary>What the channel needs to open one ISO-on-TCP connection and negotiate it.</summary>
internal readonly record struct S7ConnectionParameters(
    string Host,
    int Port,
    ushort LocalTsap,
    ushort RemoteTsap,
    int RequestedPduSize,
    int RequestedParallelJobs,
    TimeSpan ConnectTimeout);
