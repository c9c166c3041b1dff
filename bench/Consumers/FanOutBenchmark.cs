using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Bench;

/// <summary>Drives one fan-out run and prints the results.</summary>
public static class FanOutBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var partition = $"bench{Environment.ProcessId:x}";
        var tags = new TagDescriptor[options.Tags];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new TagDescriptor($"t{i:D4}", IpcDataType.Int64, Address: $"DB1.DBD{i * 8}");
        }

        using var writer = SegmentWriter.Create("/dev/shm", partition, "bench", SegmentLayout.Create(tags));
        writer.Status.SetState(ConnectionState.Connected, UnixTime.NowNs());
        writer.Commit();

        using var server = StartServer(partition, out var address);
        try
        {
            var clients = new List<FeedReceiver>();
            for (var i = 0; i < options.Clients; i++)
            {
                clients.Add(await FeedReceiver.ConnectAsync(new Uri($"ws://{address.Authority}/ws")));
            }

            using var stop = new CancellationTokenSource();
            var receiving = clients.Select(c => Task.Run(() => c.RunAsync(stop.Token))).ToArray();
            var writing = new Thread(() => WriteLoop(writer, options, stop.Token)) { Name = "segment writer", Priority = ThreadPriority.AboveNormal };
            writing.Start();

            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));
            foreach (var client in clients)
            {
                client.Measure = true;
            }

            var cpuBefore = ProcessCpu(server.Id);
            var watch = Stopwatch.StartNew();
            var peakRss = 0L;
            while (watch.Elapsed < TimeSpan.FromSeconds(options.Seconds))
            {
                await Task.Delay(250);
                peakRss = Math.Max(peakRss, ProcessRssBytes(server.Id));
            }

            var cpu = (ProcessCpu(server.Id) - cpuBefore).TotalSeconds / watch.Elapsed.TotalSeconds;
            foreach (var client in clients)
            {
                client.Measure = false;
            }

            var writes = Interlocked.Read(ref _writtenChanges);
            await stop.CancelAsync();
            writing.Join();
            await Task.WhenAll(receiving).WaitAsync(TimeSpan.FromSeconds(30));
            Report(options, clients, cpu, peakRss, watch.Elapsed);
            Console.WriteLine($"changes written during the whole run: {writes}");
            foreach (var client in clients)
            {
                client.Dispose();
            }

            return 0;
        }
        finally
        {
            server.StandardInput.Close();
            if (!server.WaitForExit(10_000))
            {
                server.Kill(entireProcessTree: true);
            }

            SegmentDirectory.DeletePartition("/dev/shm", partition);
        }
    }

    private static long _writtenChanges;

    /// <summary>Commits at CommitsPerSecond, each changing ChangesPerSecond/CommitsPerSecond tags, stamped with the write time.</summary>
    private static void WriteLoop(SegmentWriter writer, BenchOptions options, CancellationToken stop)
    {
        var perCommit = options.ChangesPerSecond / options.CommitsPerSecond;
        var period = Stopwatch.Frequency / options.CommitsPerSecond;
        var next = Stopwatch.GetTimestamp();
        var tag = 0;
        long value = 0;
        while (!stop.IsCancellationRequested)
        {
            next += period;
            var now = UnixTime.NowNs();
            for (var i = 0; i < perCommit; i++)
            {
                writer.SetInt64(tag, ++value);
                writer.SetSample(tag, IpcQuality.Good, now);
                tag = (tag + 1) % writer.Layout.TagCount;
            }

            ref var status = ref writer.Status;
            status.CycleCount++;
            status.ReadsOk++;
            writer.Commit();
            writer.Heartbeat();
            Interlocked.Add(ref _writtenChanges, perCommit);
            var wait = next - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                Thread.Sleep(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            }
        }
    }

    private static Process StartServer(string partition, out Uri address)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(FanOutBenchmark).Assembly.Location);
        }

        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(partition);
        var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("the consumers process did not start");
        address = new Uri(line["listening ".Length..]);
        return process;
    }

    private static TimeSpan ProcessCpu(int pid)
    {
        // /proc/<pid>/stat fields 14 and 15: utime and stime in clock ticks (100 Hz on Linux).
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    private static long ProcessRssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static void Report(BenchOptions options, List<FeedReceiver> clients, double cpu, long peakRss, TimeSpan elapsed)
    {
        var latencies = clients.SelectMany(c => c.Latencies).ToArray();
        Array.Sort(latencies);
        double P(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))] / 1e6;
        var received = clients.Sum(c => (long)c.Latencies.Count);
        Console.WriteLine($"clients {options.Clients}, offered {options.ChangesPerSecond} changes/s in {options.CommitsPerSecond} commits/s over {options.Tags} tags, measured {elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"delivered {received / elapsed.TotalSeconds:F0} changes/s in total ({received / elapsed.TotalSeconds / options.Clients:F0} per client; the rest coalesced)");
        Console.WriteLine(FormattableString.Invariant($"latency segment write -> client receive: p50 {P(0.50):F2} ms, p90 {P(0.90):F2} ms, p99 {P(0.99):F2} ms, max {P(1.0):F2} ms"));
        Console.WriteLine(FormattableString.Invariant($"consumers process: CPU {cpu * 100:F0}% of one core, peak RSS {peakRss / (1024.0 * 1024):F0} MiB"));
    }
}

/// <summary>One websocket client: reads frames, takes each change's "ts" and records now - ts.</summary>
public sealed class FeedReceiver : IDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[4 << 20];

    public volatile bool Measure;

    public List<long> Latencies { get; } = new(200_000);

    public static async Task<FeedReceiver> ConnectAsync(Uri uri)
    {
        var receiver = new FeedReceiver();
        await receiver._socket.ConnectAsync(uri, CancellationToken.None);
        return receiver;
    }

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(_buffer.AsMemory(length), stop);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (Measure)
                {
                    Record(_buffer.AsSpan(0, length), UnixTime.NowNs());
                }
            }
        }
        catch (OperationCanceledException)
        {
            // End of the run.
        }
    }

    /// <summary>Finds every <c>"ts":"…"</c> with a vectorised search and parses only that string (the client must stay cheap).</summary>
    private void Record(ReadOnlySpan<byte> frame, long receivedNs)
    {
        var marker = "\"ts\":"u8;
        while (true)
        {
            var at = frame.IndexOf(marker);
            if (at < 0)
            {
                return;
            }

            frame = frame[(at + marker.Length)..];
            var end = frame.Length > 1 && frame[0] == (byte)'"' ? frame[1..].IndexOf((byte)'"') : -1;
            if (end < 0)
            {
                continue;
            }

            var reader = new Utf8JsonReader(frame[..(end + 2)]);
            if (reader.Read() && reader.TryGetDateTime(out var ts))
            {
                Latencies.Add(receivedNs - UnixTime.ToNs(ts));
            }

            frame = frame[(end + 2)..];
        }
    }

    public void Dispose() => _socket.Dispose();
}
