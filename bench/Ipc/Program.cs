using EdgePartition.Ipc;
using EdgePartition.Ipc.Benchmarks;

// Cross-process IPC latency harness. `dotnet run -c Release --project bench/Ipc [-- iterations]`.
// Children: `child <mode> ...` (started by the parent, never by hand).
if (args is ["child", var mode, ..])
{
    switch (mode)
    {
        case "cacheline-pong": PingPong.CacheLinePong(args[2], long.Parse(args[3])); break;
        case "futex-pong": PingPong.FutexPong(args[2], long.Parse(args[3])); break;
        case "socket-pong": PingPong.SocketPong(args[2], long.Parse(args[3])); break;
        case "segment-pong-busy": SegmentPingPong.Pong(args[2], args[3], long.Parse(args[4]), ObserveMode.BusySnapshot); break;
        case "segment-pong-tag": SegmentPingPong.Pong(args[2], args[3], long.Parse(args[4]), ObserveMode.BusyTag); break;
        case "segment-pong-futex": SegmentPingPong.Pong(args[2], args[3], long.Parse(args[4]), ObserveMode.Futex); break;
        default: throw new ArgumentException(mode);
    }

    return 0;
}

var partition = $"bench{Environment.ProcessId:x}";
var directory = SegmentNames.DefaultDirectory;
if (args is ["micro", ..])
{
    return EdgePartition.Benchmarks.InProcessBenchmarks.Run(typeof(SegmentMicroBenchmarks).Assembly, "ipc", args[1..]);
}

var iterations = args.Length > 0 ? int.Parse(args[0]) : 20_000;
var scratch = Path.Combine(directory, $"edgepart-bench-{Environment.ProcessId}");
if (args is [_, "busy"])
{
    // Quick loop for tuning the busy-reader path: floor and busy reader only.
    try
    {
        var quickFloor = Percentiles.FromRoundTrips("baseline: cache-line ping-pong (spin, /dev/shm)", PingPong.CacheLinePing(scratch, iterations), halve: true);
        var quickBusy = Percentiles.FromRoundTrips("segment publish->observe, busy reader, snapshot", SegmentPingPong.Ping(directory, partition, iterations, ObserveMode.BusySnapshot), halve: true);
        SegmentDirectory.DeletePartition(directory, partition);
        var quickTag = Percentiles.FromRoundTrips("segment publish->observe, busy reader, one tag", SegmentPingPong.Ping(directory, partition, iterations, ObserveMode.BusyTag), halve: true);
        Console.WriteLine(quickFloor);
        Console.WriteLine(quickBusy);
        Console.WriteLine(quickTag);
        Console.WriteLine($"busy snapshot reader / floor      p50 {quickBusy.P50 / quickFloor.P50:0.0}x  p99 {quickBusy.P99 / quickFloor.P99:0.0}x");
        Console.WriteLine($"busy one-tag reader / floor       p50 {quickTag.P50 / quickFloor.P50:0.0}x  p99 {quickTag.P99 / quickFloor.P99:0.0}x   (target <= 3x)");
        return 0;
    }
    finally
    {
        SegmentDirectory.DeletePartition(directory, partition);
        File.Delete(scratch);
    }
}

try
{
    Console.WriteLine($"EdgePartition IPC benchmark: {iterations} round trips per case, {Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
    Console.WriteLine("one-way latency = round trip / 2");
    var floor = Percentiles.FromRoundTrips("baseline: cache-line ping-pong (spin, /dev/shm)", PingPong.CacheLinePing(scratch, iterations), halve: true);
    Console.WriteLine(floor);
    var futex = Percentiles.FromRoundTrips("baseline: bare futex ping-pong", PingPong.FutexPing(scratch + ".futex", iterations), halve: true);
    Console.WriteLine(futex);
    var socket = Percentiles.FromRoundTrips("baseline: Unix-domain socket 64 B (one way)", PingPong.SocketPing(scratch + ".sock", iterations), halve: true);
    Console.WriteLine(socket);
    var snapshotBusy = Percentiles.FromRoundTrips("segment publish->observe, busy reader, snapshot", SegmentPingPong.Ping(directory, partition, iterations, ObserveMode.BusySnapshot), halve: true);
    Console.WriteLine(snapshotBusy);
    SegmentDirectory.DeletePartition(directory, partition);
    var busy = Percentiles.FromRoundTrips("segment publish->observe, busy reader, one tag", SegmentPingPong.Ping(directory, partition, iterations, ObserveMode.BusyTag), halve: true);
    Console.WriteLine(busy);
    SegmentDirectory.DeletePartition(directory, partition);
    var waiting = Percentiles.FromRoundTrips("segment publish->observe, futex-waiting reader", SegmentPingPong.Ping(directory, partition, iterations, ObserveMode.Futex), halve: true);
    Console.WriteLine(waiting);

    Console.WriteLine();
    Console.WriteLine($"busy snapshot reader / floor      p50 {snapshotBusy.P50 / floor.P50:0.0}x  p99 {snapshotBusy.P99 / floor.P99:0.0}x");
    Console.WriteLine($"busy one-tag reader / floor       p50 {busy.P50 / floor.P50:0.0}x  p99 {busy.P99 / floor.P99:0.0}x   (target <= 3x)");
    Console.WriteLine($"futex reader / bare futex         p50 {waiting.P50 / futex.P50:0.00}x  p99 {waiting.P99 / futex.P99:0.00}x  (target <= 1.5x)");
    Console.WriteLine($"busy reader / socket one-way      p50 {busy.P50 / socket.P50:0.00}x  p99 {busy.P99 / socket.P99:0.00}x");
    Console.WriteLine($"futex reader / socket one-way     p50 {waiting.P50 / socket.P50:0.00}x  p99 {waiting.P99 / socket.P99:0.00}x");

    Console.WriteLine();
    foreach (var tags in new[] { 100, 1000 })
    {
        var (updates, commits) = Throughput.Writer(directory, partition, tags, TimeSpan.FromSeconds(2));
        Console.WriteLine($"writer throughput, {tags,5} Float64 tags per commit: {updates / 1e6:0.0} M tag updates/s ({commits:0} commits/s)");
    }

    Console.WriteLine(Throughput.Snapshot64K(directory, partition, iterations));
    return 0;
}
finally
{
    SegmentDirectory.DeletePartition(directory, partition);
    foreach (var suffix in new[] { "", ".futex", ".sock" })
    {
        File.Delete(scratch + suffix);
    }
}
