using EdgePartition.OpcUa.Encoding;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.OpcUa.Services;

/// <summary>Who sends a request: the session's authentication token, the request handle and the timeout hint.</summary>
internal readonly record struct RequestContext(NodeId AuthenticationToken, uint RequestHandle, TimeSpan Timeout);

/// <summary>A service response with no fields after the ResponseHeader (UnregisterNodes).</summary>
internal readonly record struct NoFields
{
    public static void Write(UaWriter writer, NoFields value)
    {
    }

    public static NoFields Read(ref UaReader reader) => default;
}

/// <summary>
/// One service request (Part 4 §5, Part 6 §5.2.6): its binary encoding id and the codec of the fields after the
/// RequestHeader. Encoding and decoding use the same field list, so both directions stay in step.
/// </summary>
internal sealed class RequestMessage<T>(uint encodingId, string service, UaEncoder<T> writeFields, UaDecoder<T> readFields)
{
    public uint EncodingId => encodingId;

    public string Service => service;

    public void Encode(UaWriter writer, in RequestContext context, T request)
    {
        RequestHeader.Write(writer, encodingId, context.AuthenticationToken, context.RequestHandle, context.Timeout);
        writeFields(writer, request);
    }

    public (RequestHeaderFields Header, T Request) Decode(ReadOnlySpan<byte> message)
    {
        var reader = new UaReader(message);
        var header = RequestHeader.Read(ref reader, encodingId, service);
        return (header, readFields(ref reader));
    }

    /// <summary>The fields alone, for comparing a decoded request with the one sent.</summary>
    public void EncodeFields(UaWriter writer, T request) => writeFields(writer, request);
}

/// <summary>
/// One service response: its binary encoding id and the codec of the fields after the ResponseHeader. Decoding
/// accepts a ServiceFault in its place and turns it, like a bad ServiceResult, into a typed exception.
/// </summary>
internal sealed class ResponseMessage<T>(uint encodingId, string service, UaEncoder<T> writeFields, UaDecoder<T> readFields)
{
    public uint EncodingId => encodingId;

    public string Service => service;

    public void Encode(UaWriter writer, uint requestHandle, T response, DateTime timestamp)
    {
        ResponseHeader.Write(writer, encodingId, requestHandle, StatusCodes.Good, timestamp);
        writeFields(writer, response);
    }

    public T Decode(ReadOnlySpan<byte> message)
    {
        var reader = new UaReader(message);
        ResponseHeader.Read(ref reader, encodingId, service);
        return readFields(ref reader);
    }

    public void EncodeFields(UaWriter writer, T response) => writeFields(writer, response);
}

/// <summary>The answer a server gives instead of any response when the whole request failed (Part 4 §7.30; i=397).</summary>
internal static class ServiceFaultMessage
{
    public static void Encode(UaWriter writer, uint requestHandle, uint serviceResult, DateTime timestamp) =>
        ResponseHeader.Write(writer, ServiceIds.ServiceFault, requestHandle, serviceResult, timestamp);
}

/// <summary>Per-operation status codes and diagnostics, the result of SetPublishingMode, DeleteSubscriptions and DeleteMonitoredItems.</summary>
internal sealed record StatusResults(uint[] Results, DiagnosticInfo[] DiagnosticInfos)
{
    public static void Write(UaWriter writer, StatusResults value)
    {
        ArrayCodec.WriteUInt32s(writer, value.Results);
        DiagnosticInfoCodec.WriteArray(writer, value.DiagnosticInfos);
    }

    public static StatusResults Read(ref UaReader reader) => new(ArrayCodec.ReadUInt32s(ref reader), DiagnosticInfoCodec.ReadArray(ref reader));
}
