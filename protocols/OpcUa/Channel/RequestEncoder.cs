using EdgePartition.OpcUa.Encoding;

namespace EdgePartition.OpcUa.Channel;

/// <summary>Writes one service request body (type id, RequestHeader with <paramref name="requestHandle"/>, fields).</summary>
internal delegate void RequestEncoder<TState>(UaWriter writer, uint requestHandle, TState state);
