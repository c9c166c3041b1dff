using EdgePartition.Consumers.Feed;
using EdgePartition.Consumers.Partition;
using EdgePartition.Ipc;

namespace EdgePartition.Consumers.Metrics;

/// <summary>The metric families; names follow Prometheus conventions (base units, _total for counters).</summary>
public static class PartitionMetrics
{
    private static readonly ConnectionState[] States = Enum.GetValues<ConnectionState>();
    private static readonly string[] RequestOutcomes = ["served", "timed_out", "withdrawn"];

    public static void Write(PrometheusTextWriter w, PartitionState partition, FeedHub hub)
    {
        var sources = partition.Sources;
        var sync = partition.Sync?.Current;

        w.Family("edgepart_segment_present", "gauge", "1 when the source's segment exists and is valid.");
        foreach (var s in sources)
        {
            w.Sample("edgepart_segment_present", s.Current.Present ? 1 : 0, Labels(partition, s));
        }

        w.Family("edgepart_writer_alive", "gauge", "1 when the writer process holds its lease with a fresh heartbeat.");
        foreach (var s in sources)
        {
            w.Sample("edgepart_writer_alive", s.Current.Present && s.Current.Liveness == WriterLiveness.Alive ? 1 : 0, Labels(partition, s));
        }

        w.Family("edgepart_writer_heartbeat_age_seconds", "gauge", "Time since the writer process last beat its heartbeat.");
        foreach (var s in sources)
        {
            if (s.Current.Present)
            {
                w.Sample("edgepart_writer_heartbeat_age_seconds", s.Current.Writer.HeartbeatAge.TotalSeconds, Labels(partition, s));
            }
        }

        w.Family("edgepart_connection_state", "gauge", "1 for the writer's current connection state, 0 for the others.");
        foreach (var s in sources)
        {
            if (!s.Current.Present)
            {
                continue;
            }

            var current = s.Current.Status.State;
            foreach (var state in States)
            {
                w.Sample("edgepart_connection_state", state == current ? 1 : 0,
                    new MetricLabel("partition", partition.Name), new MetricLabel("device", s.Name),
                    new MetricLabel("state", Json.StatusJson.ConnectionName(state)));
            }
        }

        Counter(w, partition, "edgepart_reads_total", "Device reads that succeeded.", static st => st.ReadsOk);
        Counter(w, partition, "edgepart_read_errors_total", "Device reads that failed.", static st => st.ReadsFailed);
        Counter(w, partition, "edgepart_writes_total", "Device writes that succeeded.", static st => st.WritesOk);
        Counter(w, partition, "edgepart_write_errors_total", "Device writes that failed.", static st => st.WritesFailed);
        Counter(w, partition, "edgepart_reconnects_total", "Reconnections to the device.", static st => st.Reconnects);
        Counter(w, partition, "edgepart_received_bytes_total", "Bytes received from the device.", static st => st.BytesIn);
        Counter(w, partition, "edgepart_sent_bytes_total", "Bytes sent to the device.", static st => st.BytesOut);
        Counter(w, partition, "edgepart_cycles_total", "Poll (or sync) cycles completed by the writer.", static st => st.CycleCount);

        Gauge(w, partition, "edgepart_cycle_last_seconds", "Duration of the writer's last cycle.", static st => st.CycleTimeLastNs / 1e9);
        Gauge(w, partition, "edgepart_cycle_avg_seconds", "Average cycle duration reported by the writer.", static st => st.CycleTimeAvgNs / 1e9);
        Gauge(w, partition, "edgepart_cycle_max_seconds", "Longest cycle reported by the writer.", static st => st.CycleTimeMaxNs / 1e9);
        Gauge(w, partition, "edgepart_cycle_jitter_p99_seconds", "99th percentile of cycle start lateness.", static st => st.JitterP99Ns / 1e9);
        Gauge(w, partition, "edgepart_write_queue_depth", "Write requests waiting in the device's queue.", static st => st.WriteQueueDepth);

        // No cycle-duration histogram: the writer keeps no distribution in the segment, and one built from the cycles
        // the consumers happened to sample would misstate it. The gauges above are what the writer measures.
        w.Family("edgepart_device_alive", "gauge", "Sync's verdict on the device heartbeat (alive.<device>): 1 alive, 0 stale.");
        w.Family("edgepart_device_stale_seconds", "gauge", "How long sync has considered the device stale (0 when alive).");
        var nowNs = UnixTime.NowNs();
        foreach (var s in sources)
        {
            if (s.Plan.Kind != SourceKind.Device)
            {
                continue;
            }

            if (SyncTags.TryReadBool(sync, "alive." + s.Name, out var alive))
            {
                w.Sample("edgepart_device_alive", alive ? 1 : 0, Labels(partition, s));
            }

            if (SyncTags.TryReadInt64(sync, "stale_since." + s.Name, out var since))
            {
                w.Sample("edgepart_device_stale_seconds", since == 0 ? 0 : Math.Max(0, (nowNs - since) / 1e9), Labels(partition, s));
            }
        }

        WriteSync(w, partition, sync);
        WriteFeed(w, partition, hub);
    }

    private static void WriteSync(PrometheusTextWriter w, PartitionState partition, SourceSnapshot? sync)
    {
        var name = new MetricLabel("partition", partition.Name);
        w.Family("edgepart_sync_server_heartbeat", "gauge", "The server heartbeat counter sync writes to every PLC.");
        if (SyncTags.TryReadInt64(sync, SyncTags.Heartbeat, out var heartbeat))
        {
            w.Sample("edgepart_sync_server_heartbeat", heartbeat, name);
        }

        w.Family("edgepart_sync_request_state", "gauge", "State of each request/ack pair: 0 idle, 1 requested, 2 executed, 3 acknowledged, 4 timed out.");
        w.Family("edgepart_sync_requests_total", "counter", "Request/ack exchanges by outcome.");
        foreach (var pair in SyncTags.RequestPairs(sync))
        {
            var prefix = SyncTags.RequestPrefix + pair + ".";
            SyncTags.TryReadInt64(sync, prefix + "state", out var state);
            w.Sample("edgepart_sync_request_state", state, name, new MetricLabel("pair", pair));
            foreach (var outcome in RequestOutcomes)
            {
                SyncTags.TryReadInt64(sync, prefix + outcome, out var count);
                w.Sample("edgepart_sync_requests_total", (ulong)count, name, new MetricLabel("pair", pair), new MetricLabel("outcome", outcome));
            }
        }
    }

    private static void WriteFeed(PrometheusTextWriter w, PartitionState partition, FeedHub hub)
    {
        var name = new MetricLabel("partition", partition.Name);
        w.Family("edgepart_ws_clients", "gauge", "Websocket clients connected now.");
        w.Sample("edgepart_ws_clients", hub.ClientCount, name);
        w.Family("edgepart_ws_connections_total", "counter", "Websocket clients accepted since start.");
        w.Sample("edgepart_ws_connections_total", hub.Connections, name);
        w.Family("edgepart_ws_dropped_total", "counter", "Changes a client never received because a newer value of the tag replaced it (coalescing).");
        w.Sample("edgepart_ws_dropped_total", hub.Coalesced, name);
        w.Family("edgepart_ws_closed_total", "counter", "Websocket clients closed by the server, by reason.");
        w.Sample("edgepart_ws_closed_total", hub.ClosedSlow, name, new MetricLabel("reason", "slow"));
        w.Sample("edgepart_ws_closed_total", hub.ClosedMisbehaving, name, new MetricLabel("reason", "bad_message"));
        w.Family("edgepart_ws_refused_total", "counter", "Websocket clients refused because the client limit was reached.");
        w.Sample("edgepart_ws_refused_total", hub.Refused, name);
        w.Family("edgepart_consumers_snapshots_total", "counter", "Segment snapshots the consumers read.");
        foreach (var s in partition.Sources)
        {
            w.Sample("edgepart_consumers_snapshots_total", Interlocked.Read(ref s.SnapshotsRead), Labels(partition, s));
        }

        w.Family("edgepart_consumers_tag_changes_total", "counter", "Tag changes the consumers found between snapshots.");
        foreach (var s in partition.Sources)
        {
            w.Sample("edgepart_consumers_tag_changes_total", Interlocked.Read(ref s.TagChanges), Labels(partition, s));
        }

        w.Family("edgepart_consumers_read_failures_total", "counter", "Segment reads that failed (kept torn past the retry bound, or the file vanished).");
        foreach (var s in partition.Sources)
        {
            w.Sample("edgepart_consumers_read_failures_total", Interlocked.Read(ref s.ReadFailures), Labels(partition, s));
        }
    }

    private static void Counter(PrometheusTextWriter w, PartitionState partition, string name, string help, Func<WriterStatus, ulong> read)
    {
        w.Family(name, "counter", help);
        foreach (var s in partition.Sources)
        {
            if (s.Current.Present)
            {
                w.Sample(name, read(s.Current.Status), Labels(partition, s));
            }
        }
    }

    private static void Gauge(PrometheusTextWriter w, PartitionState partition, string name, string help, Func<WriterStatus, double> read)
    {
        w.Family(name, "gauge", help);
        foreach (var s in partition.Sources)
        {
            if (s.Current.Present)
            {
                w.Sample(name, read(s.Current.Status), Labels(partition, s));
            }
        }
    }

    private static MetricLabel[] Labels(PartitionState partition, SourceState source) =>
        [new MetricLabel("partition", partition.Name), new MetricLabel("device", source.Name)];
}
