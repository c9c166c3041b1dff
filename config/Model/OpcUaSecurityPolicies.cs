namespace EdgePartition.Config;

/// <summary>Names and URIs of the OPC UA security policies.</summary>
public static class OpcUaSecurityPolicies
{
    public const string UriPrefix = "http://opcfoundation.org/UA/SecurityPolicy#";

    public static string UriOf(OpcUaSecurityPolicy policy) => UriPrefix + policy.ToString();

    /// <summary>Accepts the short name (Basic256Sha256) or the full URI; false for anything unknown.</summary>
    public static bool TryParse(string text, out OpcUaSecurityPolicy policy)
    {
        var name = text.StartsWith(UriPrefix, StringComparison.Ordinal) ? text[UriPrefix.Length..] : text;
        if (string.Equals(name, "auto", StringComparison.OrdinalIgnoreCase))
        {
            policy = OpcUaSecurityPolicy.Auto;
            return true;
        }

        foreach (var candidate in Enum.GetValues<OpcUaSecurityPolicy>())
        {
            if (name == candidate.ToString())
            {
                policy = candidate;
                return true;
            }
        }

        policy = OpcUaSecurityPolicy.None;
        return false;
    }
}
