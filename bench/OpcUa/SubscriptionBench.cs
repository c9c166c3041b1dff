using System.Diagnostics;
using System.Globalization;
using EdgePartition.OpcUa.Client;
using EdgePartition.OpcUa.Client.Subscriptions;
using EdgePartition.OpcUa.Types;

namespace EdgePartition.Bench.OpcUa;

/// <summary>
/// Subscription throughput: tests/peers/opcua/server.mjs --subscription-space (10,000 Doubles changing every 100 ms),
/// one subscription publishing every 100 ms with every item, our client and then node-opcua's client
/// (node-subscriber.mjs) receiving it from the same server in the same run. Prints notifications/s, CPU, RSS and
/// (ours) bytes allocated per notification over the measured window.
/// </summary>
internal static class SubscriptionBench
{
    public static async Task<int> RunAsync(string[] args, string script)
    {
        var items = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var warmup = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var measure = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
        using var server = StartServer(script, items, out var endpoint);
        try
        {
            Console.WriteLine($"node-opcua at {endpoint}: {items} items changing every 100 ms, publishing every 100 ms; warm-up {warmup} s, measured {measure} s");
            Console.WriteLine("| client | notifications/s | CPU % of one core | RSS MiB | alloc B/notification |");
            Console.WriteLine("|---|---|---|---|---|");
            await RunOursAsync(endpoint, items, warmup, measure);
            RunNode(script, endpoint, items, warmup, measure);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
        }

        return 0;
    }

    private static async Task RunOursAsync(string endpoint, int items, int warmup, int measure)
    {
        await using var client = new OpcUaClient(new OpcUaClientOptions { EndpointUrl = endpoint, RequestTimeout = TimeSpan.FromSeconds(60) });
        await client.ConnectAsync(CancellationToken.None);
        var counter = new CountingHandler(items);
        var subscription = await client.CreateSubscriptionAsync(
            new SubscriptionSettings { PublishingInterval = TimeSpan.FromMilliseconds(100) }, counter, CancellationToken.None);
        var settings = new MonitoredItemSettings[items];
        for (var i = 0; i < items; i++)
        {
            settings[i] = new MonitoredItemSettings(new NodeId(1, $"Mass.{i}"), (uint)i);
        }

        await subscription.AddItemsAsync(settings, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(warmup));

        using var process = Process.GetCurrentProcess();
        var count = Interlocked.Read(ref counter.Count);
        var cpu = process.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(measure));
        var seconds = clock.Elapsed.TotalSeconds;
        var received = Interlocked.Read(ref counter.Count) - count;
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        process.Refresh();
        var cpuPercent = (process.TotalProcessorTime - cpu).TotalSeconds / seconds * 100;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| EdgePartition.OpcUa | {received / seconds:0} | {cpuPercent:0.0} | {process.WorkingSet64 / 1048576} | {(double)bytes / Math.Max(1, received):0.0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  (messages lost {subscription.MessagesLost}, republished {subscription.MessagesRepublished}, sum check {counter.Sum:0})"));
    }

    private static void RunNode(string script, string endpoint, int items, int warmup, int measure)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "node-subscriber.mjs"));
        info.ArgumentList.Add(Path.GetDirectoryName(script)!);
        info.ArgumentList.Add(endpoint);
        info.ArgumentList.Add(items.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(warmup.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(measure.ToString(CultureInfo.InvariantCulture));
        using var node = Process.Start(info) ?? throw new InvalidOperationException("cannot start node");
        string? line;
        while ((line = node.StandardOutput.ReadLine()) is not null)
        {
            if (line.StartsWith("NODE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Console.WriteLine($"| node-opcua client | {parts[1]} | {parts[2]} | {parts[3]} | n/a |");
            }
        }

        node.WaitForExit();
    }

    private static Process StartServer(string script, int items, out string endpoint)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.GetDirectoryName(script)!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add("0");
        info.ArgumentList.Add("600000");
        info.ArgumentList.Add("--subscription-space");
        info.ArgumentList.Add($"--mass={items}");
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start node");
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("LISTENING ", StringComparison.Ordinal))
        {
        }

        endpoint = $"opc.tcp://127.0.0.1:{line?[10..]}";
        return process;
    }

    /// <summary>Counts and sums what arrives, nothing else: the client's own cost is what is measured.</summary>
    private sealed class CountingHandler(int items) : ISubscriptionHandler
    {
        public long Count;
        public double Sum;
        private readonly int _items = items;

        public void OnDataChange(OpcUaSubscription subscription, uint clientHandle, in DataValue value)
        {
            Count++;
            if (clientHandle < (uint)_items)
            {
                Sum += value.Value.AsDouble();
            }
        }

        public void OnStatusChange(OpcUaSubscription subscription, uint status)
        {
        }
    }
}
