using System.Net;

namespace EdgePartition.Modbus.Server;

/// <summary>
/// Decides, per client write, whether it may happen and where it goes. A consumer endpoint exposing partition tags
/// accepts writes only to tags declared writable and routes them to the device write queue; a virtual device lets
/// them through to its store. Called on the client's connection task, outside the store lock; keep it quick.
/// </summary>
public interface IModbusWriteHandler
{
    ModbusWriteDecision OnWrite(in ModbusWriteRequest request);
}

/// <summary>
/// One client write (FC 5, 6, 15, 16, or the write half of 23): bits for coils, registers for holding registers. The
/// spans are valid only during the call.
/// </summary>
public readonly ref struct ModbusWriteRequest
{
    public ModbusWriteRequest(EndPoint? client, byte unitId, ModbusFunction function, ModbusTable table, ushort start,
        ReadOnlySpan<bool> bits, ReadOnlySpan<ushort> registers)
    {
        Client = client;
        UnitId = unitId;
        Function = function;
        Table = table;
        Start = start;
        Bits = bits;
        Registers = registers;
    }

    public EndPoint? Client { get; }

    public byte UnitId { get; }

    public ModbusFunction Function { get; }

    /// <summary><see cref="ModbusTable.Coils"/> or <see cref="ModbusTable.HoldingRegisters"/>.</summary>
    public ModbusTable Table { get; }

    public ushort Start { get; }

    public int Count => Table == ModbusTable.Coils ? Bits.Length : Registers.Length;

    public ReadOnlySpan<bool> Bits { get; }

    public ReadOnlySpan<ushort> Registers { get; }
}

/// <summary>What the server does with a client write.</summary>
public readonly record struct ModbusWriteDecision
{
    private ModbusWriteDecision(bool store, ModbusExceptionCode exception)
    {
        StoreLocally = store;
        Exception = exception;
    }

    /// <summary>Write the values into the server's data store and answer success.</summary>
    public static ModbusWriteDecision Apply { get; } = new(true, ModbusExceptionCode.None);

    /// <summary>
    /// Answer success without touching the store: the handler took the write (e.g. queued it for the device, whose
    /// new value comes back into the store on a later cycle).
    /// </summary>
    public static ModbusWriteDecision Accepted { get; } = new(false, ModbusExceptionCode.None);

    /// <summary>Refuse with an exception response (IllegalDataAddress for a non-writable tag is the usual one).</summary>
    public static ModbusWriteDecision Reject(ModbusExceptionCode code) =>
        code == ModbusExceptionCode.None ? throw new ArgumentOutOfRangeException(nameof(code), "a rejection needs an exception code") : new(false, code);

    public bool StoreLocally { get; }

    public ModbusExceptionCode Exception { get; }
}

/// <summary>Ready-made handlers.</summary>
public static class ModbusWriteHandlers
{
    /// <summary>Refuses every write with IllegalFunction: a read-only endpoint.</summary>
    public static IModbusWriteHandler ReadOnly { get; } = new ReadOnlyHandler();

    private sealed class ReadOnlyHandler : IModbusWriteHandler
    {
        public ModbusWriteDecision OnWrite(in ModbusWriteRequest request) => ModbusWriteDecision.Reject(ModbusExceptionCode.IllegalFunction);
    }
}
