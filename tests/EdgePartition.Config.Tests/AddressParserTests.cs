using EdgePartition.Config.Loading;
using EdgePartition.Modbus;
using EdgePartition.OpcUa.Types;
using EdgePartition.S7;
using EdgePartition.S7.Client;

namespace EdgePartition.Config.Tests;

/// <summary>The loader's S7, Modbus and OPC UA address notation, valid and invalid.</summary>
public sealed class AddressParserTests
{
    [Theory]
    [InlineData("DB10.DBX0.3", "BOOL", 1, S7Area.DB, 10, 0, 3, 1)]
    [InlineData("db10.dbd4", "REAL", 1, S7Area.DB, 10, 4, -1, 4)]
    [InlineData("DB1.DBW65534", "INT", 1, S7Area.DB, 1, 65534, -1, 2)]
    [InlineData("DB100.DBB0", "BYTE", 32, S7Area.DB, 100, 0, -1, 32)]
    [InlineData("DB2.DBB10", "REAL", 3, S7Area.DB, 2, 10, -1, 12)]
    [InlineData("DB2.DBB0", "STRING", 1, S7Area.DB, 2, 0, -1, 12)]
    [InlineData("DB2.DBX1.6", "BOOL", 4, S7Area.DB, 2, 1, 6, 2)]
    [InlineData("MW20", "INT", 1, S7Area.M, 0, 20, -1, 2)]
    [InlineData("M0.1", "BOOL", 1, S7Area.M, 0, 0, 1, 1)]
    [InlineData("MX3.7", "BOOL", 1, S7Area.M, 0, 3, 7, 1)]
    [InlineData("MD4", "DINT", 1, S7Area.M, 0, 4, -1, 4)]
    [InlineData("I0.0", "BOOL", 1, S7Area.I, 0, 0, 0, 1)]
    [InlineData("E1.2", "BOOL", 1, S7Area.I, 0, 1, 2, 1)]
    [InlineData("IW2", "WORD", 1, S7Area.I, 0, 2, -1, 2)]
    [InlineData("QB1", "BYTE", 1, S7Area.Q, 0, 1, -1, 1)]
    [InlineData("AD8", "REAL", 1, S7Area.Q, 0, 8, -1, 4)]
    public void ParsesS7Addresses(string text, string type, int length, S7Area area, int db, int byteOffset, int bit, int size)
    {
        Assert.True(S7TagAddress.TryParse(text, type, length, 10, out var address, out var parsedSize, out var error), error);

        Assert.Equal((area, db, byteOffset, bit, size), (address.Area, address.DbNumber, address.Offset, address.IsBit ? address.Bit : -1, parsedSize));
    }

    [Theory]
    [InlineData("DB0.DBW0", "INT", "DB number must be 1..65535")]
    [InlineData("DB65536.DBW0", "INT", "DB number must be 1..65535")]
    [InlineData("DB1.DBX0.8", "BOOL", "bit number 0..7")]
    [InlineData("DB1.DBX0", "BOOL", "bit number 0..7")]
    [InlineData("DB1.DBW0", "BOOL", "a BOOL needs a bit address")]
    [InlineData("DB1.DBX0.0", "INT", "is a bit address, but the tag's type is INT")]
    [InlineData("DB1.DBD0", "INT", "addresses 4 bytes but INT has 2")]
    [InlineData("DB1.DBW0", "LREAL", "addresses 2 bytes but LREAL has 8")]
    [InlineData("DB1.DBB65535", "INT", "ends past byte 65535")]
    [InlineData("DB1.DBW0x", "INT", "unexpected 'x' at the end")]
    [InlineData("DB1.DBQ0", "INT", "width letter must be X, B, W or D")]
    [InlineData("T5", "INT", "is not an S7 address")]
    [InlineData("", "INT", "is not an S7 address")]
    [InlineData("DB1.DBW9999999", "INT", "expected a byte number")]
    [InlineData("C5", "INT", "counters and timers (C, Z, T) are not supported")]
    [InlineData("Z5", "WORD", "counters and timers (C, Z, T) are not supported")]
    [InlineData("T3", "S5TIME", "counters and timers (C, Z, T) are not supported")]
    public void RejectsBadS7Addresses(string text, string type, string fragment)
    {
        Assert.False(S7TagAddress.TryParse(text, type, 1, 254, out _, out _, out var error));

        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("40001", 0, "int16", 1, ModbusTable.HoldingRegisters, 0, 1)]
    [InlineData("49999", 0, "float32", 1, ModbusTable.HoldingRegisters, 9998, 2)]
    [InlineData("465535", 0, "uint16", 1, ModbusTable.HoldingRegisters, 65534, 1)]
    [InlineData("30010", 0, "float64", 2, ModbusTable.InputRegisters, 9, 8)]
    [InlineData("00001", 0, "bit", 16, ModbusTable.Coils, 0, 16)]
    [InlineData("10005", 0, "bit", 1, ModbusTable.DiscreteInputs, 4, 1)]
    [InlineData("holding:0", 0, "int32", 1, ModbusTable.HoldingRegisters, 0, 2)]
    [InlineData("holding:1", 1, "int32", 1, ModbusTable.HoldingRegisters, 0, 2)]
    [InlineData("Input:100", 0, "string", 1, ModbusTable.InputRegisters, 100, 5)]
    [InlineData("coil:65535", 0, "bit", 1, ModbusTable.Coils, 65535, 1)]
    [InlineData("4x0001", 0, "int16", 1, ModbusTable.HoldingRegisters, 0, 1)]
    [InlineData("hr:7", 0, "int16", 1, ModbusTable.HoldingRegisters, 7, 1)]
    public void ParsesModbusAddresses(string text, int addressBase, string type, int length, ModbusTable table, int offset, int count)
    {
        Assert.True(ModbusTagAddress.TryParse(text, addressBase, type, length, 10, out var address, out var parsedCount, out var error), error);

        Assert.Equal((table, offset, count), (address.Table, (int)address.Address, parsedCount));
    }

    [Theory]
    [InlineData("40000", 0, "int16", "counts 1..9999")]
    [InlineData("400000", 0, "int16", "counts 1..65536")]
    [InlineData("20001", 0, "int16", "starts with 0 (coil)")]
    [InlineData("4001", 0, "int16", "is not a Modbus address")]
    [InlineData("holding:0", 1, "int16", "offset must be 1..65536")]
    [InlineData("holding:-1", 0, "int16", "offset must be")]
    [InlineData("flags:3", 0, "bit", "table must be coil, discrete, input or holding")]
    [InlineData("coil:3", 0, "int16", "needs an input or holding register address")]
    [InlineData("holding:65535", 0, "int32", "ends past address 65535")]
    public void RejectsBadModbusAddresses(string text, int addressBase, string type, string fragment)
    {
        Assert.False(ModbusTagAddress.TryParse(text, addressBase, type, 1, 10, out _, out _, out var error));

        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("i=2258", 0, NodeIdType.Numeric, "2258")]
    [InlineData("ns=2;s=Line1.Speed", 2, NodeIdType.String, "Line1.Speed")]
    [InlineData("ns=3;g=72962B91-FA75-4AE6-8D28-B404DC7DAF63", 3, NodeIdType.Guid, "72962B91-FA75-4AE6-8D28-B404DC7DAF63")]
    [InlineData("ns=1;b=M/RbKBsRVkePCePcx24oRA==", 1, NodeIdType.Opaque, "M/RbKBsRVkePCePcx24oRA==")]
    [InlineData("ns=2;s=a;b=c", 2, NodeIdType.String, "a;b=c")]
    public void ParsesNodeIds(string text, int ns, NodeIdType type, string identifier)
    {
        Assert.True(OpcUaTagAddress.TryParse(text, out var address, out var error), error);

        Assert.False(address.IsBrowsePath);
        Assert.Equal((ns, type, identifier), (address.Node.NamespaceIndex, address.Node.Type, IdentifierText(address.Node)));
    }

    [Fact]
    public void ParsesBrowsePaths()
    {
        Assert.True(OpcUaTagAddress.TryParse("/2:Line1/Server/3:Speed", out var address, out var error), error);

        Assert.True(address.IsBrowsePath);
        Assert.Equal([new QualifiedName(2, "Line1"), new QualifiedName(0, "Server"), new QualifiedName(3, "Speed")], address.BrowsePath);
    }

    [Theory]
    [InlineData("ns=70000;i=1", "namespace index")]
    [InlineData("ns=2;i=-1", "numeric identifier")]
    [InlineData("ns=2;g=not-a-guid", "is not a GUID")]
    [InlineData("ns=2;b=***", "is not base64")]
    [InlineData("ns=2;x=1", "identifier type must be i, s, g or b")]
    [InlineData("Speed", "neither a NodeId")]
    [InlineData("/2:Line1//Speed", "empty browse path step")]
    [InlineData("/2:", "has no name")]
    public void RejectsBadOpcUaAddresses(string text, string fragment)
    {
        Assert.False(OpcUaTagAddress.TryParse(text, out _, out var error));

        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("None", OpcUaSecurityPolicy.None)]
    [InlineData("Basic256Sha256", OpcUaSecurityPolicy.Basic256Sha256)]
    [InlineData("http://opcfoundation.org/UA/SecurityPolicy#Aes256_Sha256_RsaPss", OpcUaSecurityPolicy.Aes256_Sha256_RsaPss)]
    public void KnowsSecurityPoliciesByNameAndUri(string text, OpcUaSecurityPolicy expected)
    {
        Assert.True(OpcUaSecurityPolicies.TryParse(text, out var policy));

        Assert.Equal(expected, policy);
        Assert.Equal("http://opcfoundation.org/UA/SecurityPolicy#" + expected, OpcUaSecurityPolicies.UriOf(policy));
    }

    [Theory]
    [InlineData(S7ConnectionType.Pg, 0, 1, 0x0101)]
    [InlineData(S7ConnectionType.Basic, 0, 1, 0x0301)]
    [InlineData(S7ConnectionType.Op, 0, 2, 0x0202)]
    [InlineData(S7ConnectionType.Pg, 1, 3, 0x0123)]
    public void DerivesTheRemoteTsapFromRackAndSlot(S7ConnectionType type, int rack, int slot, int tsap)
    {
        var connection = new S7ConnectionConfig { Host = "h", ConnectionType = type, Rack = rack, Slot = slot };

        Assert.Equal((0x0100, tsap), (connection.EffectiveLocalTsap, connection.EffectiveRemoteTsap));
    }

    /// <summary>The identifier as the address wrote it: digits, the string, the upper-case GUID or the base64.</summary>
    private static string IdentifierText(NodeId node) => node.Type switch
    {
        NodeIdType.Numeric => node.Numeric.ToString(System.Globalization.CultureInfo.InvariantCulture),
        NodeIdType.String => node.Text!,
        NodeIdType.Guid => node.Guid.ToString("D").ToUpperInvariant(),
        _ => Convert.ToBase64String(node.Opaque!),
    };
}
