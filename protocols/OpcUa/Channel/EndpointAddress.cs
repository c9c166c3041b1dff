namespace EdgePartition.OpcUa.Channel;

/// <summary>The host and port of an <c>opc.tcp://host:port/path</c> endpoint URL (4840 when no port is given).</summary>
public readonly record struct EndpointAddress(string Host, int Port)
{
    public const int DefaultPort = 4840;

    public static EndpointAddress Parse(string endpointUrl)
    {
        ArgumentNullException.ThrowIfNull(endpointUrl);
        if (!endpointUrl.StartsWith("opc.tcp://", StringComparison.OrdinalIgnoreCase)
            || !Uri.TryCreate("tcp://" + endpointUrl["opc.tcp://".Length..], UriKind.Absolute, out var uri)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"invalid OPC UA endpoint URL '{endpointUrl}' (expected opc.tcp://host[:port][/path])");
        }

        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        return new EndpointAddress(host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port);
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
