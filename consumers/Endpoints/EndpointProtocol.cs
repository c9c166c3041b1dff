namespace EdgePartition.Consumers.Endpoints;

/// <summary>Which server an address map is for; the two differ only in how narrow values and strings are laid out.</summary>
public enum EndpointProtocol
{
    /// <summary>S7 data blocks: BOOL/SINT/USINT one byte, STRING as S7 STRING (max, length, Latin-1 characters).</summary>
    S7,

    /// <summary>Modbus registers: every element takes whole registers, strings are packed characters without a header.</summary>
    Modbus,
}
