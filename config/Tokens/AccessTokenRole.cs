namespace EdgePartition.Config;

/// <summary>What a token of the HTTP endpoint may do.</summary>
public enum AccessTokenRole
{
    /// <summary>Every GET and the websocket feed.</summary>
    Read,

    /// <summary>Read, plus writes to the tags its scopes allow.</summary>
    Write,
}
