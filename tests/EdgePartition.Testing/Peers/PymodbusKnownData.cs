namespace EdgePartition.Testing.Peers;

/// <summary>
/// The data <see cref="PymodbusServer"/> starts with (mirrors tests/peers/modbus/pymodbus_server.py; 0-based wire
/// addresses, unit id: any).
/// </summary>
public static class PymodbusKnownData
{
    /// <summary>Elements in every table; reading at or beyond it gives exception 02 (illegal data address).</summary>
    public const int Size = 2000;

    /// <summary>Holding register i holds i for i below this.</summary>
    public const int CountingRegisters = 1000;

    /// <summary>Typed values start here, one block per byte order (ABCD, CDAB, BADC, DCBA) every <see cref="TypedStride"/>.</summary>
    public const int TypedBase = 1000;

    public const int TypedStride = 40;

    public const int Float32Offset = 0;
    public const float Float32Value = 123456.0f;
    public const int Int32Offset = 2;
    public const int Int32Value = -123456789;
    public const int UInt32Offset = 4;
    public const uint UInt32Value = 3000000000;
    public const int Float64Offset = 6;
    public const double Float64Value = -1234.5678;
    public const int Int64Offset = 10;
    public const long Int64Value = -1234567890123456789;
    public const int UInt64Offset = 14;
    public const ulong UInt64Value = 12345678901234567890;
    public const int Int16Offset = 18;
    public const short Int16Value = -12345;
    public const int UInt16Offset = 19;
    public const ushort UInt16Value = 54321;
    public const int StringOffset = 20;
    public const string StringValue = "EdgePartition!";

    public static ushort HoldingRegister(int address) => address < CountingRegisters ? (ushort)address : throw new ArgumentOutOfRangeException(nameof(address));

    public static ushort InputRegister(int address) => (ushort)(3 * address);

    public static bool Coil(int address) => address % 3 == 0;

    public static bool DiscreteInput(int address) => address % 5 == 0;

    /// <summary>Start of the typed block for byte order index 0 (ABCD), 1 (CDAB), 2 (BADC), 3 (DCBA).</summary>
    public static int TypedBlock(int byteOrderIndex) => TypedBase + TypedStride * byteOrderIndex;
}
