namespace EdgePartition.OpcUa.Services;

/// <summary>Numeric ids (namespace 0) of the binary encodings this client sends and receives (Part 6 Annex A, NodeIds.csv).</summary>
internal static class ServiceIds
{
    public const uint ServiceFault = 397;
    public const uint OpenSecureChannelRequest = 446;
    public const uint OpenSecureChannelResponse = 449;
    public const uint CloseSecureChannelRequest = 452;
    public const uint CreateSessionRequest = 461;
    public const uint CreateSessionResponse = 464;
    public const uint ActivateSessionRequest = 467;
    public const uint ActivateSessionResponse = 470;
    public const uint CloseSessionRequest = 473;
    public const uint CloseSessionResponse = 476;
    public const uint TranslateBrowsePathsRequest = 554;
    public const uint TranslateBrowsePathsResponse = 557;
    public const uint ReadRequest = 631;
    public const uint ReadResponse = 634;
    public const uint WriteRequest = 673;
    public const uint WriteResponse = 676;
    public const uint AnonymousIdentityToken = 321;

    /// <summary>The Value attribute (Part 6 Annex A.1).</summary>
    public const uint ValueAttribute = 13;

    /// <summary>HierarchicalReferences, what a "/" step of a browse path follows.</summary>
    public const uint HierarchicalReferences = 33;

    /// <summary>The Objects folder, where browse paths start.</summary>
    public const uint ObjectsFolder = 85;
}
