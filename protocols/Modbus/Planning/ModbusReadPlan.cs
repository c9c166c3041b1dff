namespace EdgePartition.Modbus.Planning;

/// <summary>
/// The result of <see cref="ModbusReadPlanner.Plan"/>: few requests that cover every item, and where each item's
/// values land in one flat buffer of <see cref="BufferLength"/> registers (bits are stored as 0/1 registers). Built
/// once per poll group, read every cycle with <c>ModbusTcpClient.ReadAsync(plan, buffer)</c>; immutable.
/// </summary>
public sealed class ModbusReadPlan
{
    private readonly ModbusReadRequest[] _requests;
    private readonly ModbusReadItem[] _items;
    private readonly int[] _itemOffsets;
    private readonly int[] _itemFirstRequest;
    private readonly int[] _itemLastRequest;

    internal ModbusReadPlan(ModbusReadRequest[] requests, ModbusReadItem[] items, int[] itemOffsets, int[] itemFirstRequest, int[] itemLastRequest)
    {
        _requests = requests;
        _items = items;
        _itemOffsets = itemOffsets;
        _itemFirstRequest = itemFirstRequest;
        _itemLastRequest = itemLastRequest;
        var length = 0;
        foreach (var request in requests)
        {
            length += request.Count;
        }

        BufferLength = length;
    }

    /// <summary>Registers a buffer passed to ReadAsync must hold.</summary>
    public int BufferLength { get; }

    public ReadOnlySpan<ModbusReadRequest> Requests => _requests;

    /// <summary>The items in the order they were given to the planner.</summary>
    public ReadOnlySpan<ModbusReadItem> Items => _items;

    /// <summary>Where item <paramref name="item"/> (index into <see cref="Items"/>) starts in the buffer.</summary>
    public int ItemOffset(int item) => _itemOffsets[item];

    /// <summary>The values of one item: registers, or one 0/1 register per bit.</summary>
    public ReadOnlySpan<ushort> ItemValues(int item, ReadOnlySpan<ushort> buffer) => buffer.Slice(_itemOffsets[item], _items[item].Count);

    /// <summary>The requests (first, last, inclusive) whose results make up an item.</summary>
    public (int First, int Last) ItemRequests(int item) => (_itemFirstRequest[item], _itemLastRequest[item]);

    /// <summary>
    /// The item's outcome from the per-request results ReadAsync filled in: None when every request covering it
    /// succeeded, otherwise the first exception code.
    /// </summary>
    public ModbusExceptionCode ItemStatus(int item, ReadOnlySpan<ModbusExceptionCode> requestResults)
    {
        for (var i = _itemFirstRequest[item]; i <= _itemLastRequest[item]; i++)
        {
            if (requestResults[i] != ModbusExceptionCode.None)
            {
                return requestResults[i];
            }
        }

        return ModbusExceptionCode.None;
    }
}
