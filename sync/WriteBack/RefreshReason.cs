namespace EdgePartition.Sync.WriteBack;

/// <summary>Why a receiver gets the whole image rather than the changed ranges.</summary>
internal enum RefreshReason
{
    None,

    /// <summary>Nothing was written yet, or the collector (re)connected, restarted or re-attached.</summary>
    Reconnect,

    /// <summary>The configured full-refresh interval passed.</summary>
    Interval,

    /// <summary>A write failed, expired or its result never came back.</summary>
    WriteFailure,
}
