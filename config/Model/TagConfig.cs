using EdgePartition.Modbus;
using EdgePartition.Modbus.Data;
using EdgePartition.S7;

namespace EdgePartition.Config;

/// <summary>
/// One tag: the address as written (protocol notation) and, where the loader understands the notation, parsed
/// (<see cref="S7Address"/>, <see cref="ModbusAddress"/>, <see cref="OpcUaAddress"/>); simulated tags carry a
/// <see cref="Simulation"/> generator instead.
/// </summary>
public sealed class TagConfig
{
    public required string Name { get; init; }

    /// <summary>The address exactly as written, e.g. DB10.DBD4, 40001, holding:0, ns=2;s=Speed; for a simulated tag the generator name.</summary>
    public required string Address { get; init; }

    /// <summary>The protocol's own type name: S7 INT/REAL/..., Modbus int16/float32/..., OPC UA Int32/Double/..., sim float64/....</summary>
    public required string DataType { get; init; }

    /// <summary>Array length; 1 for a scalar.</summary>
    public int ArrayLength { get; init; } = 1;

    /// <summary>Maximum characters of a string type; null for other types (the loader fills the protocol's default for strings).</summary>
    public int? StringLength { get; init; }

    /// <summary>Byte order of multi-register Modbus values; S7 is always big-endian (ABCD).</summary>
    public ByteOrder ByteOrder { get; init; } = ByteOrder.ABCD;

    /// <summary>Engineering value = raw * Scale + ScaleOffset.</summary>
    public double Scale { get; init; } = 1;

    public double ScaleOffset { get; init; }

    /// <summary>A change smaller than this (engineering units) is not reported as a change; 0 reports every change.</summary>
    public double Deadband { get; init; }

    /// <summary>Whether sync and operators may write the tag (through the device's write queue).</summary>
    public bool Writable { get; init; }

    /// <summary>Name of the poll group the tag is read in.</summary>
    public required string PollGroup { get; init; }

    public string? Description { get; init; }

    /// <summary>Parsed S7 address (the first byte and bit; <see cref="ByteLength"/> says how far the tag reaches); set for S7 tags.</summary>
    public S7Address? S7Address { get; init; }

    /// <summary>Parsed Modbus address (table and 0-based wire address of the first bit or register); set for Modbus tags.</summary>
    public ModbusAddress? ModbusAddress { get; init; }

    /// <summary>Modbus: the bits (coils, discrete inputs) or registers the tag spans, from its type and length; 0 for other protocols.</summary>
    public int ModbusCount => ModbusAddress is { } modbus ? (modbus.Table.IsBits() ? ArrayLength : ByteLength / 2) : 0;

    /// <summary>Parsed NodeId or browse path; set for OPC UA tags.</summary>
    public OpcUaNodeAddress? OpcUaAddress { get; init; }

    /// <summary>OPC UA tags of a subscription group: the deadband the server applies (a DataChangeFilter); null for none.</summary>
    public OpcUaServerDeadband? ServerDeadband { get; init; }

    /// <summary>Generator of a simulated tag; set for sim tags.</summary>
    public SimulationConfig? Simulation { get; init; }

    /// <summary>
    /// Bytes the value occupies as raw data (S7: type size times array length, a BOOL counts one byte; Modbus: two
    /// per register, one per started 8 bits; OPC UA and sim: the big-endian size of fixed-size types). 0 for
    /// variable-size OPC UA types (String, ByteString, ...), which sync cannot copy raw.
    /// </summary>
    public int ByteLength { get; init; }

    public SourceLocation? Location { get; init; }
}
