using EdgePartition.S7.Client;
using EdgePartition.Testing.Peers;

namespace EdgePartition.S7.Tests;

/// <summary>Our client against snap7's S7Server (the independent peer).</summary>
public sealed class ClientAgainstSnap7Tests(Snap7AllAreasFixture shared) : IClassFixture<Snap7AllAreasFixture>
{
    private static S7Client NewClient(Snap7ServerProcess server, int pdu = 960) => new(new S7ClientOptions
    {
        Host = "127.0.0.1",
        Port = server.Port,
        RequestedPduSize = pdu,
        JobTimeout = TimeSpan.FromSeconds(10),
    });

    [Fact]
    public async Task ConnectsAndNegotiatesThePduTheServerGrants()
    {
        await using var server = await Snap7ServerProcess.StartAsync(new Snap7ServerOptions { PduRequest = 240 });
        await using var client = NewClient(server);
        await client.ConnectAsync(TestTimeouts.Token());
        Assert.Equal(ConnectionState.Connected, client.State);
        Assert.Equal(240, client.PduSize);
        Assert.True(client.ParallelJobs >= 1);
        Assert.Equal(1, client.Counters.Connects);
    }

    [Fact]
    public async Task ReadsAndWritesDbBytes()
    {
        await using var server = await Snap7ServerProcess.StartAsync(new Snap7ServerOptions { Areas = [new("DB", 1, 64, FillWithIndex: true)] });
        await using var client = NewClient(server);
        var buffer = new byte[16];
        await client.ReadAsync(S7Area.DB, 1, 8, buffer, TestTimeouts.Token());
        Assert.Equal(Enumerable.Range(8, 16).Select(i => (byte)i).ToArray(), buffer);

        await client.WriteAsync(S7Address.Parse("DB1.DBB4"), new byte[] { 0xDE, 0xAD, 0xBE }, TestTimeouts.Token());
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0xBE }, await server.ReadDbAsync(1, 4, 3, TestTimeouts.Token()));
    }

    [Theory]
    [InlineData(240)]
    [InlineData(480)]
    public async Task ReadsAndWritesADbLargerThanOnePdu(int pdu)
    {
        await using var server = await Snap7ServerProcess.StartAsync(new Snap7ServerOptions { Areas = [new("DB", 1, 8192, FillWithIndex: true)], PduRequest = pdu });
        await using var client = NewClient(server);
        var image = new byte[4096];
        await client.ReadAsync(S7Area.DB, 1, 100, image, TestTimeouts.Token());
        Assert.Equal(pdu, client.PduSize);
        Assert.Equal(Enumerable.Range(100, 4096).Select(i => (byte)i).ToArray(), image);
        Assert.True(client.Counters.RoundTrips >= 4096 / S7ReadPlanner.MaxReadChunk(pdu));

        var written = Enumerable.Range(0, 3001).Select(i => (byte)(i * 7)).ToArray();
        await client.WriteAsync(S7Area.DB, 1, 1001, written, TestTimeouts.Token());
        Assert.Equal(written, await server.ReadDbAsync(1, 1001, written.Length, TestTimeouts.Token()));
    }

    public static TheoryData<string, S7DataType, object, string> TypedValues => new()
    {
        { "DB2.DBX3.5", S7DataType.Bool, true, "20" },
        { "DB2.DBB4", S7DataType.Byte, (byte)0xA5, "A5" },
        { "DB2.DBW6", S7DataType.Word, (ushort)0xBEEF, "BEEF" },
        { "DB2.DBD8", S7DataType.DWord, 0xDEADBEEFu, "DEADBEEF" },
        { "DB2.DBB12", S7DataType.LWord, 0x0102030405060708ul, "0102030405060708" },
        { "DB2.DBB20", S7DataType.SInt, (sbyte)-2, "FE" },
        { "DB2.DBB21", S7DataType.USInt, (byte)200, "C8" },
        { "DB2.DBW22", S7DataType.Int, (short)-2, "FFFE" },
        { "DB2.DBW24", S7DataType.UInt, (ushort)65000, "FDE8" },
        { "DB2.DBD26", S7DataType.DInt, -100000, "FFFE7960" },
        { "DB2.DBD30", S7DataType.UDInt, 4000000000u, "EE6B2800" },
        { "DB2.DBB34", S7DataType.LInt, -2L, "FFFFFFFFFFFFFFFE" },
        { "DB2.DBB42", S7DataType.ULInt, 18000000000000000000ul, "F9CCD8A1C5080000" },
        { "DB2.DBD50", S7DataType.Real, 1.5f, "3FC00000" },
        { "DB2.DBB54", S7DataType.LReal, -2.25, "C002000000000000" },
        { "DB2.DBB62", S7DataType.Char, 'A', "41" },
        { "DB2.DBW64", S7DataType.WChar, 'Ω', "03A9" },
        { "DB2.DBB66", S7DataType.String, "Hi", "02024869" },
        { "DB2.DBB100", S7DataType.WString, "Ωk", "0002000203A9006B" },
        { "DB2.DBD140", S7DataType.Time, TimeSpan.FromMilliseconds(-1500), "FFFFFA24" },
        { "DB2.DBB144", S7DataType.LTime, TimeSpan.FromMilliseconds(1), "00000000000F4240" },
        { "DB2.DBW152", S7DataType.S5Time, TimeSpan.FromSeconds(12.3), "1123" },
        { "DB2.DBW154", S7DataType.Date, new DateOnly(2024, 2, 29), "30BD" },
        { "DB2.DBD156", S7DataType.TimeOfDay, new TimeOnly(13, 14, 15, 16), "02D72868" },
        { "DB2.DBB160", S7DataType.DateAndTime, new DateTime(2024, 2, 29, 13, 14, 15, 678), "240229131415678" + "5" },
        { "DB2.DBB168", S7DataType.Dtl, new DateTime(2024, 2, 29, 13, 14, 15, 678), "07E8021D050D0E0F28697580" },
        { "MW10", S7DataType.Int, (short)1234, "04D2" },
        { "M20.7", S7DataType.Bool, true, "80" },
        { "QD4", S7DataType.Real, -1f, "BF800000" },
        { "Q1.1", S7DataType.Bool, true, "02" },
        { "C4", S7DataType.Word, (ushort)0x0042, "0042" },
        { "T2", S7DataType.Word, (ushort)0x1234, "1234" },
    };

    [Theory]
    [MemberData(nameof(TypedValues))]
    public async Task WritesEveryTypeAndAreaAsThePlcLaysItOutAndReadsItBack(string address, S7DataType type, object value, string expectedHex)
    {
        var server = shared.Server;
        await using var client = NewClient(server);
        var parsed = S7Address.Parse(address);
        int stringLength = type is S7DataType.String or S7DataType.WString ? 2 : S7DataTypes.DefaultStringLength;

        await client.WriteValueAsync(parsed, type, value, stringLength, TestTimeouts.Token());

        var expected = Convert.FromHexString(expectedHex);
        var raw = await server.ReadAsync(Snap7Name(parsed.Area), parsed.DbNumber,
            parsed.Area.IsElementAddressed() ? Snap7ElementByteOffset(parsed.Offset) : parsed.Offset, expected.Length, TestTimeouts.Token());
        Assert.Equal(expectedHex, Convert.ToHexString(raw));
        var back = await client.ReadValueAsync(parsed, type, stringLength, TestTimeouts.Token());
        Assert.Equal(value, back);
    }

    [Fact]
    public async Task ReadsInputsAndCountersAndArrays()
    {
        var server = shared.Server;
        await using var client = NewClient(server);
        await server.WriteAsync("CT", 0, 0, new byte[] { 0, 1, 0, 2, 0, 3 }, TestTimeouts.Token());
        var counters = new byte[6];
        await client.ReadAsync(S7Area.C, 0, 0, counters, TestTimeouts.Token());
        Assert.Equal(new byte[] { 0, 1, 0, 2, 0, 3 }, counters);

        var inputs = new byte[4];
        await client.ReadAsync(S7Address.Parse("IB10"), inputs, TestTimeouts.Token());
        Assert.Equal(new byte[] { 10, 11, 12, 13 }, inputs);
        Assert.Equal(true, await client.ReadValueAsync(S7Address.Parse("I1.0"), S7DataType.Bool, cancellationToken: TestTimeouts.Token()));

        var reals = new byte[S7DataTypes.SizeOfArray(S7DataType.Real, 3)];
        for (int i = 0; i < 3; i++)
        {
            S7ValueCodec.SetReal(reals.AsSpan(i * 4), i + 0.5f);
        }

        await client.WriteAsync(S7Address.Parse("DB2.DBB200"), reals, TestTimeouts.Token());
        var back = new byte[reals.Length];
        await client.ReadAsync(S7Address.Parse("DB2.DBB200"), back, TestTimeouts.Token());
        Assert.Equal(2.5f, S7ValueCodec.GetReal(back.AsSpan(8)));
    }

    [Fact]
    public async Task ReadsOneHundredScatteredTagsInFewRoundTrips()
    {
        var server = shared.Server;
        await using var client = NewClient(server, pdu: 240);
        await client.ConnectAsync(TestTimeouts.Token());
        var random = new Random(7);
        var items = new S7ReadItem[100];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = i % 10 == 9
                ? new S7ReadItem(S7Area.I, 0, random.Next(0, 60), 4)
                : new S7ReadItem(S7Area.DB, 1, random.Next(0, 8000), random.Next(1, 9));
        }

        var plan = new S7ReadPlanner().Plan(items, client.PduSize);
        var image = new byte[plan.BufferLength];
        long before = client.Counters.RoundTrips;
        await client.ReadAsync(plan, image, TestTimeouts.Token());

        Assert.Equal(plan.JobCount, client.Counters.RoundTrips - before);
        Assert.True(plan.JobCount < (100 + 17) / 18, $"{plan.JobCount} jobs; snap7's multi-read needs at least 6");
        for (int i = 0; i < items.Length; i++)
        {
            var item = items[i];
            var expected = item.Area == S7Area.DB
                ? Enumerable.Range(item.Offset, item.Length).Select(b => (byte)b).ToArray()
                : Enumerable.Range(item.Offset, item.Length).Select(b => (byte)b).ToArray();
            Assert.Equal(expected, image.AsSpan(plan.GetItemOffset(i), item.Length).ToArray());
        }
    }

    [Fact]
    public async Task MissingDbAndOutOfRangeReadsBecomeTypedErrors()
    {
        await using var server = await Snap7ServerProcess.StartAsync(new Snap7ServerOptions { Areas = [new("DB", 1, 100)] });
        await using var client = NewClient(server);
        var buffer = new byte[4];

        var missing = await Assert.ThrowsAsync<S7ProtocolException>(() => client.ReadAsync(S7Area.DB, 99, 0, buffer, TestTimeouts.Token()).AsTask());
        Assert.Equal(S7ReturnCode.ObjectDoesNotExist, missing.ItemReturnCode);
        Assert.Contains("check the DB number", missing.Message, StringComparison.Ordinal);

        var outOfRange = await Assert.ThrowsAsync<S7ProtocolException>(() => client.ReadAsync(S7Area.DB, 1, 98, buffer, TestTimeouts.Token()).AsTask());
        Assert.Equal(S7ReturnCode.AddressOutOfRange, outOfRange.ItemReturnCode);
        Assert.Contains("check the DB length", outOfRange.Message, StringComparison.Ordinal);

        var writeMissing = await Assert.ThrowsAsync<S7ProtocolException>(() => client.WriteAsync(S7Address.Parse("DB7.DBW0"), new byte[2], TestTimeouts.Token()).AsTask());
        Assert.Equal(S7ReturnCode.ObjectDoesNotExist, writeMissing.ItemReturnCode);

        // Item errors do not break the connection; a plan reports them per range.
        var plan = new S7ReadPlanner().Plan([new S7ReadItem(S7Area.DB, 1, 0, 4), new S7ReadItem(S7Area.DB, 99, 0, 4)], client.PduSize);
        var status = new S7ReturnCode[plan.Ranges.Length];
        await client.ReadAsync(plan, new byte[plan.BufferLength], status, TestTimeouts.Token());
        Assert.Equal(S7ReturnCode.Success, status[plan.GetItemRange(0)]);
        Assert.Equal(S7ReturnCode.ObjectDoesNotExist, status[plan.GetItemRange(1)]);
        Assert.Equal(1, client.Counters.Connects);
    }

    [Fact]
    public async Task WritesManyItemsInOneJob()
    {
        var server = shared.Server;
        await using var client = NewClient(server);
        var items = Enumerable.Range(0, 12)
            .Select(i => new S7WriteItem(S7Address.Db(2, i * 10), new byte[] { (byte)i, (byte)(i + 1), (byte)(i + 2) }))
            .Append(new S7WriteItem(S7Address.Parse("Q2.3"), new byte[] { 1 }))
            .ToArray();
        var status = new S7ReturnCode[items.Length];
        await client.ConnectAsync(TestTimeouts.Token());
        long before = client.Counters.RoundTrips;
        await client.WriteAsync(items, status, TestTimeouts.Token());

        Assert.All(status, s => Assert.Equal(S7ReturnCode.Success, s));
        Assert.Equal(1, client.Counters.RoundTrips - before);
        Assert.Equal(new byte[] { 11, 12, 13 }, await server.ReadDbAsync(2, 110, 3, TestTimeouts.Token()));
        Assert.Equal(new byte[] { 0x08 }, await server.ReadAsync("PA", 0, 2, 1, TestTimeouts.Token()));
    }

    [Fact]
    public async Task ReportsABrokenConnectionAndFailsFastWhileThePeerIsDown()
    {
        var server = await Snap7ServerProcess.StartAsync(new Snap7ServerOptions { Areas = [new("DB", 1, 16)] });
        int port = server.Port;
        await using var client = NewClient(server);
        await client.ConnectAsync(TestTimeouts.Token());
        var faulted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += (_, to) =>
        {
            if (to.Current == ConnectionState.Faulted)
            {
                faulted.TrySetResult();
            }
        };

        await server.DisposeAsync();
        await faulted.Task.WaitAsync(TestTimeouts.Default);
        Assert.Equal(ConnectionState.Faulted, client.State);
        var error = await Assert.ThrowsAsync<S7ProtocolException>(() => client.ReadAsync(S7Area.DB, 1, 0, new byte[2], TestTimeouts.Token()).AsTask());
        Assert.Equal(ProtocolErrorReason.ConnectionFailed, error.Reason);
        Assert.NotEqual(0, port);
    }

    /// <summary>snap7's server maps counter/timer number n to byte n >> 1 of the area (s7_server.cpp, "Start >> 1").</summary>
    private static int Snap7ElementByteOffset(int number) => number >> 1;

    private static string Snap7Name(S7Area area) => area switch
    {
        S7Area.DB => "DB",
        S7Area.M => "MK",
        S7Area.I => "PE",
        S7Area.Q => "PA",
        S7Area.C => "CT",
        _ => "TM",
    };
}
