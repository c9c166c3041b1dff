using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.S7;
using EdgePartition.S7.Client;
using EdgePartition.Testing;
using EdgePartition.Testing.Peers;

// Operator write round trip: HTTP PUT → consumers → plc1's write queue → collector → snap7, until the value is read
// back from the PLC, beside the S7 write + read-back alone to the same snap7 server in the same run; then writes per
// second sustained through the one device queue (sequential PUTs, each answered with the collector's result).
//   dotnet run -c Release --project bench/Writes -- [samples=200] [seconds=5]
var samples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;

await using var plc = await Snap7ServerProcess.StartAsync(new Snap7ServerOptions { Areas = [new Snap7Area("DB", 1, 64)] });
var folder = Directory.CreateTempSubdirectory("edgepart-writes-bench-").FullName;
var partition = $"wbench{Environment.ProcessId:x}";
var token = AccessTokenHash.NewToken();
File.WriteAllText(Path.Combine(folder, "tokens.txt"), TokenFileFormat.FormatLine("bench", AccessTokenRole.Write, AccessTokenHash.Compute(token), []) + "\n");
File.WriteAllText(Path.Combine(folder, "plc.xml"), $"""
    <?xml version="1.0" encoding="UTF-8"?>
    <s7Devices xmlns="urn:edgepartition:s7:1">
      <device name="plc1" host="127.0.0.1" port="{plc.Port}" rack="0" slot="1">
        <pollGroup name="main" cycleMs="100">
          <tag name="setpoint" address="DB1.DBW0" type="INT" writable="true"/>
        </pollGroup>
      </device>
    </s7Devices>
    """);
var file = Path.Combine(folder, "partition.xml");
File.WriteAllText(file, $"""
    <?xml version="1.0" encoding="UTF-8"?>
    <partition xmlns="urn:edgepartition:partition:1" name="{partition}" segmentDirectory="{SegmentNames.DefaultDirectory}">
      <include path="plc.xml"/>
      <consumers>
        <http bind="127.0.0.1" port="8480">
          <tokens file="tokens.txt" writesPerSecond="10000"/>
        </http>
      </consumers>
    </partition>
    """);

try
{
    await using var collector = EdgepartProcess.Start("collector", file, "--protocol", "s7");
    await using var consumers = EdgepartProcess.Start("consumers", file, "--port", "0");
    var listening = await consumers.WaitForLineAsync(l => l.Text.StartsWith("listening on ", StringComparison.Ordinal));
    using var http = new HttpClient { BaseAddress = new Uri(listening.Text["listening on ".Length..]) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var probe = new S7Client(new S7ClientOptions { Host = "127.0.0.1", Port = plc.Port, Rack = 0, Slot = 1 });
    await probe.ConnectAsync();

    // The collector is connected once a first write is done.
    for (var attempt = 0; attempt < 300 && !await PutAsync(http, 1); attempt++)
    {
        await Task.Delay(100);
    }

    var s7 = new List<double>(samples);
    var bytes = new byte[2];
    var seen = new byte[2];
    for (var i = 0; i < samples; i++)
    {
        BinaryPrimitives.WriteInt16BigEndian(bytes, (short)(1000 + i));
        var start = Stopwatch.GetTimestamp();
        await probe.WriteAsync(S7Area.DB, 1, 0, bytes);
        await probe.ReadAsync(S7Area.DB, 1, 0, seen);
        s7.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    var viaHttp = new List<double>(samples);
    for (var i = 0; i < samples; i++)
    {
        var value = (short)(2000 + i);
        var start = Stopwatch.GetTimestamp();
        if (!await PutAsync(http, value))
        {
            throw new InvalidOperationException($"write {value} was not done");
        }

        await probe.ReadAsync(S7Area.DB, 1, 0, seen);
        viaHttp.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        if (BinaryPrimitives.ReadInt16BigEndian(seen) != value)
        {
            throw new InvalidOperationException($"PLC holds {BinaryPrimitives.ReadInt16BigEndian(seen)} after writing {value}");
        }
    }

    var done = 0;
    var sustained = Stopwatch.StartNew();
    while (sustained.Elapsed < TimeSpan.FromSeconds(seconds))
    {
        done += await PutAsync(http, (short)(done & 0x7FFF)) ? 1 : 0;
    }

    Console.WriteLine(Percentiles("HTTP PUT -> done -> read back from the PLC", viaHttp));
    Console.WriteLine(Percentiles("S7 write + read back alone (same snap7)", s7));
    Console.WriteLine($"sequential HTTP writes through one device queue: {done / sustained.Elapsed.TotalSeconds:0} writes/s over {sustained.Elapsed.TotalSeconds:0.0} s");
    await probe.DisposeAsync();
    consumers.Terminate();
    collector.Terminate();
    await consumers.WaitForExitAsync();
    await collector.WaitForExitAsync();
}
finally
{
    SegmentDirectory.DeletePartition(SegmentNames.DefaultDirectory, partition);
    Directory.Delete(folder, recursive: true);
}

static async Task<bool> PutAsync(HttpClient http, short value)
{
    using var content = new StringContent($"{{\"value\":{value}}}", Encoding.UTF8, "application/json");
    using var response = await http.PutAsync("api/devices/plc1/tags/setpoint", content);
    return response.IsSuccessStatusCode;
}

static string Percentiles(string name, List<double> samples)
{
    var sorted = samples.ToArray();
    Array.Sort(sorted);
    double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    return $"{name,-46} p50 {At(0.5),8:0.00} ms  p99 {At(0.99),8:0.00} ms  max {sorted[^1],8:0.00} ms  (n={sorted.Length})";
}
