namespace EdgePartition.Modbus.Server;

/// <summary>
/// The four data tables of a Modbus server, 65,536 elements each (coils and discrete inputs as bytes 0/1, holding
/// and input registers as 16-bit values), guarded by one lock so a multi-register read or write is atomic with
/// respect to every other. The application updates it directly (a virtual device's logic, a consumer endpoint
/// copying partition tags); clients reach it through the server.
/// </summary>
public sealed class ModbusDataStore
{
    private readonly Lock _lock = new();
    private readonly byte[] _coils = new byte[ModbusLimits.TableSize];
    private readonly byte[] _discreteInputs = new byte[ModbusLimits.TableSize];
    private readonly ushort[] _holdingRegisters = new ushort[ModbusLimits.TableSize];
    private readonly ushort[] _inputRegisters = new ushort[ModbusLimits.TableSize];

    public bool GetBit(ModbusTable table, ushort address)
    {
        lock (_lock)
        {
            return Bits(table)[address] != 0;
        }
    }

    public void SetBit(ModbusTable table, ushort address, bool value)
    {
        lock (_lock)
        {
            Bits(table)[address] = value ? (byte)1 : (byte)0;
        }
    }

    public ushort GetRegister(ModbusTable table, ushort address)
    {
        lock (_lock)
        {
            return Registers(table)[address];
        }
    }

    public void SetRegister(ModbusTable table, ushort address, ushort value)
    {
        lock (_lock)
        {
            Registers(table)[address] = value;
        }
    }

    public void ReadBits(ModbusTable table, ushort start, Span<bool> destination)
    {
        CheckRange(start, destination.Length);
        lock (_lock)
        {
            var source = Bits(table).AsSpan(start, destination.Length);
            for (var i = 0; i < source.Length; i++)
            {
                destination[i] = source[i] != 0;
            }
        }
    }

    public void WriteBits(ModbusTable table, ushort start, ReadOnlySpan<bool> values)
    {
        CheckRange(start, values.Length);
        lock (_lock)
        {
            var target = Bits(table).AsSpan(start, values.Length);
            for (var i = 0; i < values.Length; i++)
            {
                target[i] = values[i] ? (byte)1 : (byte)0;
            }
        }
    }

    public void ReadRegisters(ModbusTable table, ushort start, Span<ushort> destination)
    {
        CheckRange(start, destination.Length);
        lock (_lock)
        {
            Registers(table).AsSpan(start, destination.Length).CopyTo(destination);
        }
    }

    public void WriteRegisters(ModbusTable table, ushort start, ReadOnlySpan<ushort> values)
    {
        CheckRange(start, values.Length);
        lock (_lock)
        {
            values.CopyTo(Registers(table).AsSpan(start));
        }
    }

    /// <summary>Runs <paramref name="action"/> under the store's lock with direct access to the four tables.</summary>
    public void Update<TState>(TState state, ModbusStoreAction<TState> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_lock)
        {
            action(state, new ModbusTables(_coils, _discreteInputs, _inputRegisters, _holdingRegisters));
        }
    }

    internal Lock SyncRoot => _lock;

    internal byte[] Bits(ModbusTable table) => table switch
    {
        ModbusTable.Coils => _coils,
        ModbusTable.DiscreteInputs => _discreteInputs,
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "not a bit table"),
    };

    internal ushort[] Registers(ModbusTable table) => table switch
    {
        ModbusTable.HoldingRegisters => _holdingRegisters,
        ModbusTable.InputRegisters => _inputRegisters,
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, "not a register table"),
    };

    private static void CheckRange(ushort start, int count)
    {
        if (start + count > ModbusLimits.TableSize)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"{count} elements from address {start} run past address 65535");
        }
    }
}

/// <summary>Direct access to the tables inside <see cref="ModbusDataStore.Update"/>; bits are bytes 0/1.</summary>
public readonly ref struct ModbusTables(Span<byte> coils, Span<byte> discreteInputs, Span<ushort> inputRegisters, Span<ushort> holdingRegisters)
{
    public Span<byte> Coils { get; } = coils;

    public Span<byte> DiscreteInputs { get; } = discreteInputs;

    public Span<ushort> InputRegisters { get; } = inputRegisters;

    public Span<ushort> HoldingRegisters { get; } = holdingRegisters;
}

public delegate void ModbusStoreAction<in TState>(TState state, ModbusTables tables);
