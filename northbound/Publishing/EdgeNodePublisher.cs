using System.Buffers;
using System.Threading.Channels;
using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.Northbound.Mqtt;
using EdgePartition.Northbound.Sparkplug;
using EdgePartition.Northbound.Store;
using EdgePartition.Protocols;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgePartition.Northbound.Publishing;

/// <summary>
/// The Sparkplug B edge node of one partition. One loop owns all state and reacts to events (device commits from
/// the watchers, MQTT messages and disconnects, connect results, a 20 ms tick), so nothing here needs a lock.
/// Session: CONNECT with the NDEATH Will of a fresh bdSeq, subscribe NCMD/DCMD (and the primary host's STATE),
/// wait for the host if one is named, NBIRTH then the DBIRTHs (paced), then DATA by exception; history from the
/// store is replayed behind live data at the configured rate. Any failure ends the session; the next starts after
/// a backoff (exponential, jittered, capped) on the next broker of the list, always with new births.
/// </summary>
internal sealed partial class EdgeNodePublisher : IAsyncDisposable
{
    private const string RebirthMetric = "Node Control/Rebirth";
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(20);

    private readonly NorthboundConfig _config;
    private readonly string _partition;
    private readonly string _segmentDirectory;
    private readonly ILogger _logger;
    private readonly Channel<NorthboundEvent> _events = Channel.CreateBounded<NorthboundEvent>(new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly DeviceState[] _devices;
    private readonly SparkplugTopics _topics;
    private readonly PayloadEncoder _encoder = new();
    private readonly PayloadEncoder _historyEncoder = new();
    private readonly List<MetricInfo> _changed = [];
    private readonly MessageStore? _store;
    private readonly BdSeqFile _bdSeqFile;
    private readonly NorthboundStatusFile _statusFile;
    private Backoff _backoff;

    private IMqttClient? _client;
    private int _session;
    private bool _connecting;
    private bool _connected;
    private long _connectedAtMs;
    private long _nextAttemptMs;
    private int _brokerIndex = -1;
    private ulong _bdSeq;
    private int _seq;
    private bool _hostOnline;
    private long _hostTimestampMs = long.MinValue;
    private bool _nodeBorn;
    private long _lastReplayMs;
    private double _replayCredit;
    private long _lastStatusMs;
    private long _storeDroppedSeen;

    public EdgeNodePublisher(NorthboundConfig config, string partition, string segmentDirectory, IReadOnlyList<string> devices, string stateDirectory, ILogger logger)
    {
        _config = config;
        _partition = partition;
        _segmentDirectory = segmentDirectory;
        _logger = logger;
        _devices = [.. devices.Select((d, i) => new DeviceState(i, d))];
        _topics = new SparkplugTopics(config.GroupId, config.EdgeNodeId);
        _backoff = new Backoff(config.ReconnectMin, config.ReconnectMax, stableAfter: TimeSpan.FromSeconds(30));
        Directory.CreateDirectory(stateDirectory);
        _bdSeqFile = new BdSeqFile(Path.Combine(stateDirectory, "northbound-bdseq"));
        _store = config.Store.Enabled ? MessageStore.Open(stateDirectory, config.Store) : null;
        _statusFile = new NorthboundStatusFile(Path.Combine(segmentDirectory, $"edgepart.{partition}.northbound.json"));
        if (_store is { Count: > 0 } store)
        {
            LogStoreOpened(_logger, store.Path, store.Count, store.Bytes);
        }
    }

    public NorthboundCounters Counters { get; } = new();

    /// <summary>Runs until <paramref name="stopping"/>; then sends NDEATH and disconnects.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var watchers = _devices.Select(d => new DeviceWatcher(d.Index, d.Name, _segmentDirectory, _partition, _events.Writer, _logger).Start(stopping)).ToList();
        using var ticker = new CancellationTokenSource();
        var tick = TickAsync(ticker.Token);
        try
        {
            await foreach (var item in _events.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                await HandleAsync(item, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            await ticker.CancelAsync().ConfigureAwait(false);
            await tick.ConfigureAwait(false);
            await ShutdownSessionAsync("the publisher is stopping").ConfigureAwait(false);
            WriteStatus(NowMs());
            foreach (var watcher in watchers)
            {
                watcher.Join(TimeSpan.FromSeconds(2));
            }
        }
    }

    private async Task TickAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TickInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                _events.Writer.TryWrite(Tick.Instance);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private bool Live => _connected && _hostOnline && _nodeBorn;

    private async Task HandleAsync(NorthboundEvent item, CancellationToken stopping)
    {
        switch (item)
        {
            case DeviceCommit commit:
                await OnDeviceCommitAsync(commit).ConfigureAwait(false);
                break;
            case MqttMessageReceived message when message.Session == _session:
                await OnMessageAsync(message).ConfigureAwait(false);
                break;
            case MqttDisconnected disconnected when disconnected.Session == _session && (_connected || _connecting):
                OnSessionLost(disconnected.Reason);
                break;
            case MqttConnectFinished finished when finished.Session == _session:
                await OnConnectFinishedAsync(finished, stopping).ConfigureAwait(false);
                break;
            case Tick:
                await OnTickAsync().ConfigureAwait(false);
                break;
            default:
                // A message or disconnect of a session that is already over.
                break;
        }
    }

    // ---- Devices ----

    private async Task OnDeviceCommitAsync(DeviceCommit commit)
    {
        var device = _devices[commit.DeviceIndex];
        if (!ReferenceEquals(commit.Layout, device.Layout))
        {
            // Absent, or a new layout: hosts must hear of it as a death (and, once online, a new birth).
            if (device.Born && Live)
            {
                await PublishDeviceDeathAsync(device).ConfigureAwait(false);
            }

            device.Born = false;
            device.Layout = commit.Layout;
            device.Published = null;
            device.SetMetrics(commit.Layout is null ? [] : DeviceMetrics.Plan(_config, device.Index, device.Name, commit.Layout, out var skipped));
            if (commit.Layout is not null && device.Metrics.Length == 0)
            {
                LogNoMetrics(_logger, device.Name);
            }
        }

        device.Current = commit.Layout is null ? null : commit.Data;
        device.Online = commit.Online;
        device.Problem = commit.Problem;
        if (Live)
        {
            if (device.Online && !device.Born)
            {
                await PublishDeviceBirthAsync(device).ConfigureAwait(false);
            }
            else if (!device.Online && device.Born)
            {
                await PublishDeviceDeathAsync(device).ConfigureAwait(false);
            }
            else if (device.Born)
            {
                await PublishChangesAsync(device, commit.CommitUnixNs).ConfigureAwait(false);
            }
        }
        else if (device.Current is not null)
        {
            StoreChanges(device, commit.CommitUnixNs);
        }

        if (device.ReportedOnline != device.Online)
        {
            device.ReportedOnline = device.Online;
            LogDeviceState(_logger, device.Name, device.Online ? "online" : "offline", device.Problem ?? "connected");
        }
    }

    /// <summary>The metrics whose value or quality differs from what hosts know (and pass the deadband).</summary>
    private void CollectChanges(DeviceState device, byte[] current, byte[] published)
    {
        _changed.Clear();
        foreach (var metric in device.Metrics)
        {
            var slot = metric.Slot;
            var qualityNew = SlotElement.Quality(current, slot);
            var qualityOld = SlotElement.Quality(published, slot);
            var valueNew = current.AsSpan(slot.ValueOffset, slot.ValueSize);
            var valueOld = published.AsSpan(slot.ValueOffset, slot.ValueSize);
            if (qualityNew == qualityOld && valueNew.SequenceEqual(valueOld))
            {
                continue;
            }

            if (qualityNew == qualityOld && metric.Deadband > 0 && metric.Tag.ArrayLength == 1 && IsNumeric(metric.Tag.DataType)
                && Math.Abs(SlotElement.ReadNumber(metric.Tag.DataType, valueNew) - SlotElement.ReadNumber(metric.Tag.DataType, valueOld)) < metric.Deadband)
            {
                continue;
            }

            _changed.Add(metric);
            current.AsSpan(slot.SlotOffset, TagSlot.HeaderSize + slot.ValueSize).CopyTo(published.AsSpan(slot.SlotOffset));
        }
    }

    private static bool IsNumeric(IpcDataType type) => type is not (IpcDataType.String or IpcDataType.Bytes or IpcDataType.Bool);

    private async Task PublishChangesAsync(DeviceState device, long commitUnixNs)
    {
        if (device.Published is not { } published || device.Current is not { } current)
        {
            return;
        }

        CollectChanges(device, current, published);
        if (_changed.Count == 0)
        {
            return;
        }

        var nowMs = commitUnixNs / 1_000_000;
        _encoder.Begin(nowMs);
        foreach (var metric in _changed)
        {
            _encoder.AddTag(metric, current, birth: false, historical: false, withQuality: true, nowMs);
        }

        if (!await PublishAsync(_topics.DeviceData(device.Name), _encoder, sequenced: true).ConfigureAwait(false))
        {
            // Not sent: keep the same changes as history so nothing is lost with the connection.
            StoreEncoded(device, current, nowMs);
        }
    }

    private void StoreChanges(DeviceState device, long commitUnixNs)
    {
        if (device.Published is null)
        {
            // First values of a device that nobody has heard of: they will be in its birth.
            device.Published = (byte[])device.Current!.Clone();
            return;
        }

        CollectChanges(device, device.Current!, device.Published);
        if (_changed.Count > 0)
        {
            StoreEncoded(device, device.Current!, commitUnixNs / 1_000_000);
        }
    }

    private void StoreEncoded(DeviceState device, byte[] current, long nowMs)
    {
        if (_store is null)
        {
            Counters.DroppedHistorical += _changed.Count;
            return;
        }

        _historyEncoder.Begin(nowMs);
        foreach (var metric in _changed)
        {
            _historyEncoder.AddTag(metric, current, birth: false, historical: true, withQuality: true, nowMs);
        }

        _store.Append(device.Name, _historyEncoder.Body, NowMs());
        Counters.StoredMessages++;
    }

    // ---- Births and deaths ----

    private async Task PublishBirthsAsync(bool rebirth)
    {
        var nowMs = NowMs();
        _seq = 0;
        _nodeBorn = true;
        _encoder.Begin(nowMs);
        _encoder.AddBdSeq(_bdSeq, nowMs);
        _encoder.AddBoolean(RebirthMetric, false, nowMs);
        if (!await PublishAsync(_topics.NodeBirth, _encoder, sequenced: true).ConfigureAwait(false))
        {
            return;
        }

        Counters.Births++;
        if (rebirth)
        {
            Counters.Rebirths++;
        }

        foreach (var device in _devices)
        {
            device.Born = false;
            if (!device.Online || device.Current is null)
            {
                continue;
            }

            if (!_connected)
            {
                return;
            }

            await PublishDeviceBirthAsync(device).ConfigureAwait(false);
            if (_config.BirthPacing > TimeSpan.Zero)
            {
                // Births of many devices spread out, so a host and its broker never take them as one burst.
                await Task.Delay(_config.BirthPacing).ConfigureAwait(false);
            }
        }

        LogBorn(_logger, _bdSeq, _devices.Count(d => d.Born), _devices.Length);
        _lastReplayMs = NowMs();
    }

    private async Task PublishDeviceBirthAsync(DeviceState device)
    {
        if (device.Current is not { } current)
        {
            return;
        }

        var nowMs = NowMs();
        _encoder.Begin(nowMs);
        foreach (var metric in device.Metrics)
        {
            _encoder.AddTag(metric, current, birth: true, historical: false, withQuality: true, nowMs);
        }

        if (await PublishAsync(_topics.DeviceBirth(device.Name), _encoder, sequenced: true).ConfigureAwait(false))
        {
            device.Born = true;
            device.Published = (byte[])current.Clone();
        }
    }

    private async Task PublishDeviceDeathAsync(DeviceState device)
    {
        device.Born = false;
        _encoder.Begin(NowMs());
        await PublishAsync(_topics.DeviceDeath(device.Name), _encoder, sequenced: true).ConfigureAwait(false);
    }

    private byte[] NodeDeathPayload(ulong bdSeq)
    {
        var encoder = new PayloadEncoder();
        var nowMs = NowMs();
        encoder.Begin(nowMs);
        encoder.AddBdSeq(bdSeq, nowMs);
        return encoder.Finish(seq: null).ToArray();
    }

    // ---- MQTT session ----

    private async Task OnTickAsync()
    {
        var nowMs = NowMs();
        if (!_connected && !_connecting && nowMs >= _nextAttemptMs)
        {
            StartConnect();
        }

        if (Live && _store is { Count: > 0 })
        {
            await ReplayAsync(nowMs).ConfigureAwait(false);
        }
        else
        {
            _lastReplayMs = nowMs;
            _replayCredit = 0;
        }

        if (_store is not null)
        {
            // Drops happen on append (size bound) and here (age bound): count them all, once.
            _store.Maintain(nowMs);
            Counters.DroppedHistorical += _store.Dropped - _storeDroppedSeen;
            _storeDroppedSeen = _store.Dropped;
        }

        if (nowMs - _lastStatusMs >= 1000)
        {
            WriteStatus(nowMs);
        }
    }

    private void StartConnect()
    {
        _connecting = true;
        var session = ++_session;
        _brokerIndex = (_brokerIndex + 1) % _config.Brokers.Count;
        var broker = _config.Brokers[_brokerIndex];
        _bdSeq = _bdSeqFile.Next();
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += args =>
        {
            var message = args.ApplicationMessage;
            return _events.Writer.WriteAsync(new MqttMessageReceived(session, message.Topic, message.Payload.ToArray())).AsTask();
        };
        client.DisconnectedAsync += args =>
        {
            if (args.ClientWasConnected)
            {
                _events.Writer.TryWrite(new MqttDisconnected(session, args.Reason + (args.Exception is null ? "" : ": " + args.Exception.Message)));
            }

            return Task.CompletedTask;
        };
        _client = client;
        LogConnecting(_logger, broker.ToString(), _bdSeq);
        _ = Task.Run(async () =>
        {
            try
            {
                var options = MqttOptionsFactory.Create(_config, broker, _topics.NodeDeath, NodeDeathPayload(_bdSeq));
                var result = await client.ConnectAsync(options).ConfigureAwait(false);
                var refused = result.ResultCode == MqttClientConnectResultCode.Success ? null : Explain(result.ResultCode, result.ReasonString);
                await _events.Writer.WriteAsync(new MqttConnectFinished(session, null, refused)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                await _events.Writer.WriteAsync(new MqttConnectFinished(session, e, null)).ConfigureAwait(false);
            }
        });
    }

    private static string Explain(MqttClientConnectResultCode code, string? reason) => code switch
    {
        MqttClientConnectResultCode.BadUserNameOrPassword => "the broker refused the user name or password (check <credentials> and the password file or variable)",
        // Mosquitto answers a wrong password with Not authorized (0x87) on MQTT 5.
        MqttClientConnectResultCode.NotAuthorized => "the broker refused the user name or password, or does not authorize this client (check <credentials>, the password file or variable, and the broker's ACL)",
        MqttClientConnectResultCode.ClientIdentifierNotValid => "the broker refused the client id (set clientId on <northbound>)",
        _ => $"the broker refused the connection: {code}{(string.IsNullOrEmpty(reason) ? "" : $" ({reason})")}",
    };

    private async Task OnConnectFinishedAsync(MqttConnectFinished finished, CancellationToken stopping)
    {
        _connecting = false;
        var broker = _config.Brokers[_brokerIndex].ToString();
        if (finished.Error is not null || finished.Refused is not null)
        {
            Counters.ConnectFailures++;
            var why = finished.Refused ?? Describe(finished.Error!);
            await DropClientAsync().ConfigureAwait(false);
            var delay = _backoff.NextDelay();
            _nextAttemptMs = NowMs() + (long)delay.TotalMilliseconds;
            LogConnectFailed(_logger, broker, why, (long)delay.TotalMilliseconds, _backoff.Failures);
            return;
        }

        try
        {
            var subscribe = new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(_topics.NodeCommand, MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(_topics.DeviceCommandFilter, MqttQualityOfServiceLevel.AtLeastOnce);
            if (_config.PrimaryHostId is { } host)
            {
                subscribe.WithTopicFilter(SparkplugTopics.HostState(host), MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithTopicFilter(SparkplugTopics.LegacyHostState(host), MqttQualityOfServiceLevel.AtLeastOnce);
            }

            await _client!.SubscribeAsync(subscribe.Build(), stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            OnSessionLost($"subscribe failed: {Describe(e)}");
            return;
        }

        _connected = true;
        _connectedAtMs = NowMs();
        Counters.Sessions++;
        _hostOnline = _config.PrimaryHostId is null;
        LogConnected(_logger, broker, _bdSeq, _config.PrimaryHostId ?? "(none)");
        if (_hostOnline)
        {
            await PublishBirthsAsync(rebirth: false).ConfigureAwait(false);
        }
    }

    private void OnSessionLost(string reason)
    {
        var upMs = _connected ? NowMs() - _connectedAtMs : 0;
        _connected = false;
        _connecting = false;
        _nodeBorn = false;
        foreach (var device in _devices)
        {
            device.Born = false;
        }

        var delay = _backoff.NextDelay(TimeSpan.FromMilliseconds(upMs));
        _nextAttemptMs = NowMs() + (long)delay.TotalMilliseconds;
        LogSessionLost(_logger, reason, (long)delay.TotalMilliseconds);
        _ = DropClientAsync();
    }

    private async Task DropClientAsync()
    {
        if (_client is { } client)
        {
            _client = null;
            try
            {
                client.Dispose();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogDisposeFailed(_logger, e.Message);
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Intentional end of a session: NDEATH first (hosts learn at once), then DISCONNECT keeping the Will (§6.4.25).</summary>
    private async Task ShutdownSessionAsync(string reason)
    {
        if (_client is not { } client)
        {
            return;
        }

        if (_connected)
        {
            try
            {
                var death = NodeDeathPayload(_bdSeq);
                await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(_topics.NodeDeath).WithPayload(death).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.DisconnectWithWillMessage).Build()).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogDisposeFailed(_logger, e.Message);
            }
        }

        LogSessionEnded(_logger, reason);
        _connected = false;
        _nodeBorn = false;
        await DropClientAsync().ConfigureAwait(false);
    }

    // ---- Messages from hosts ----

    private async Task OnMessageAsync(MqttMessageReceived message)
    {
        if (_config.PrimaryHostId is { } host && (message.Topic == SparkplugTopics.HostState(host) || message.Topic == SparkplugTopics.LegacyHostState(host)))
        {
            await OnHostStateAsync(message.Topic == SparkplugTopics.LegacyHostState(host), message.Payload).ConfigureAwait(false);
            return;
        }

        if (message.Topic == _topics.NodeCommand)
        {
            await OnNodeCommandAsync(message.Payload).ConfigureAwait(false);
        }
        else if (message.Topic.StartsWith(_topics.DeviceCommandPrefix, StringComparison.Ordinal))
        {
            OnDeviceCommand(message.Topic[_topics.DeviceCommandPrefix.Length..], message.Payload);
        }
    }

    private async Task OnHostStateAsync(bool legacy, byte[] payload)
    {
        if (!HostStateMessage.TryParse(legacy, payload, out var state))
        {
            LogBadState(_logger, _config.PrimaryHostId!);
            return;
        }

        if (state.TimestampMs is { } ts && ts < _hostTimestampMs)
        {
            // An older message (a stale Will of a previous host session): §5.10 says ignore it.
            return;
        }

        _hostTimestampMs = state.TimestampMs ?? _hostTimestampMs;
        if (state.Online)
        {
            var was = _hostOnline;
            _hostOnline = true;
            if (!was)
            {
                LogHost(_logger, _config.PrimaryHostId!, "online");
            }

            if (_connected && !_nodeBorn)
            {
                await PublishBirthsAsync(rebirth: false).ConfigureAwait(false);
            }

            return;
        }

        var wasOnline = _hostOnline;
        _hostOnline = false;
        if (wasOnline)
        {
            LogHost(_logger, _config.PrimaryHostId!, "offline");
        }

        if (_connected && _nodeBorn)
        {
            // §5.10: the node says NDEATH, disconnects and starts over (next server); data is stored meanwhile.
            // Only a host that goes away during our session counts: the retained offline STATE met on the next
            // CONNECT just means "wait", or every session would end at once.
            await ShutdownSessionAsync("the primary host went offline").ConfigureAwait(false);
            _nextAttemptMs = NowMs() + (long)_backoff.NextDelay().TotalMilliseconds;
        }
    }

    private async Task OnNodeCommandAsync(byte[] payload)
    {
        List<CommandMetric> metrics;
        try
        {
            metrics = PayloadDecoder.Decode(payload);
        }
        catch (CommandDecodeException e)
        {
            Counters.CommandsRefused++;
            LogCommandRefused(_logger, "NCMD", e.Reason.ToString(), e.Message);
            return;
        }

        foreach (var metric in metrics)
        {
            if (metric.Name == RebirthMetric && metric.ValueField == 14 && metric.BooleanValue)
            {
                Counters.CommandsAccepted++;
                LogRebirthRequested(_logger);
                if (_connected && _hostOnline)
                {
                    await PublishBirthsAsync(rebirth: true).ConfigureAwait(false);
                }
            }
            else
            {
                Counters.CommandsRefused++;
                LogCommandRefused(_logger, "NCMD", CommandRefusal.UnknownMetric.ToString(), $"node metric '{metric.Name ?? metric.Alias?.ToString(System.Globalization.CultureInfo.InvariantCulture)}' is not writable");
            }
        }
    }

    private void OnDeviceCommand(string device, byte[] payload)
    {
        // Writes through the device write queues come with the command allow-list; until then every DCMD is refused.
        Counters.CommandsRefused++;
        LogCommandRefused(_logger, "DCMD", CommandRefusal.NotAllowed.ToString(), $"device '{device}': command writes are not enabled ({payload.Length} bytes)");
    }

    // ---- Replay ----

    private async Task ReplayAsync(long nowMs)
    {
        _replayCredit = Math.Min(_config.Store.ReplayPerSecond, _replayCredit + ((nowMs - _lastReplayMs) * _config.Store.ReplayPerSecond / 1000.0));
        _lastReplayMs = nowMs;
        var budget = (int)_replayCredit;
        if (budget <= 0)
        {
            return;
        }

        var batch = _store!.ReadOldest(budget);
        long lastId = -1;
        var count = 0;
        long bytes = 0;
        foreach (var message in batch)
        {
            var device = Array.Find(_devices, d => d.Name == message.Device);
            if (device is { Born: true })
            {
                _encoder.BeginFrom(message.Body);
                if (!await PublishAsync(_topics.DeviceData(device.Name), _encoder, sequenced: true).ConfigureAwait(false))
                {
                    break;
                }

                Counters.ReplayedMessages++;
            }
            else
            {
                // Its device is gone or offline now: history for a device without a birth would make hosts rebirth.
                Counters.DroppedHistorical++;
                LogReplayDropped(_logger, message.Device);
            }

            lastId = message.Id;
            count++;
            bytes += message.Body.Length;
        }

        if (lastId >= 0)
        {
            _store.RemoveThrough(lastId, count, bytes);
        }

        _replayCredit -= count;
    }

    // ---- Publishing ----

    private async Task<bool> PublishAsync(string topic, PayloadEncoder encoder, bool sequenced)
    {
        if (_client is not { } client || !_connected)
        {
            return false;
        }

        ulong? seq = null;
        if (sequenced)
        {
            seq = (ulong)_seq;
        }

        var payload = encoder.Finish(seq);
        try
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(new ReadOnlySequence<byte>(payload))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
                .Build();
            await client.PublishAsync(message).ConfigureAwait(false);
            if (sequenced)
            {
                _seq = (_seq + 1) % 256;
            }

            Counters.MessagesPublished++;
            Counters.MetricsPublished += encoder.MetricCount;
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Counters.PublishFailures++;
            OnSessionLost($"publish failed: {Describe(e)}");
            return false;
        }
    }

    private static string Describe(Exception e) => e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private void WriteStatus(long nowMs)
    {
        _lastStatusMs = nowMs;
        _statusFile.Write(new NorthboundStatus(
            Broker: _brokerIndex >= 0 ? _config.Brokers[_brokerIndex].ToString() : "",
            Connected: _connected,
            PrimaryHost: _config.PrimaryHostId,
            PrimaryHostOnline: _hostOnline,
            Born: _nodeBorn,
            BdSeq: _bdSeq,
            Seq: _seq,
            StoredMessages: _store?.Count ?? 0,
            StoredBytes: _store?.Bytes ?? 0,
            Counters: Counters,
            DevicesBorn: _devices.Count(d => d.Born),
            Devices: _devices.Length,
            UpdatedUnixMs: nowMs));
    }

    public async ValueTask DisposeAsync()
    {
        await DropClientAsync().ConfigureAwait(false);
        _store?.Dispose();
    }

    [LoggerMessage(EventId = 1710, Level = LogLevel.Information, Message = "Connecting to {Broker} (bdSeq {BdSeq})")]
    private static partial void LogConnecting(ILogger logger, string broker, ulong bdSeq);

    [LoggerMessage(EventId = 1711, Level = LogLevel.Information, Message = "Connected to {Broker}, bdSeq {BdSeq}, primary host {Host}")]
    private static partial void LogConnected(ILogger logger, string broker, ulong bdSeq, string host);

    [LoggerMessage(EventId = 1712, Level = LogLevel.Warning, Message = "Cannot connect to {Broker}: {Reason}; next attempt in {DelayMs} ms (failure {Failures})")]
    private static partial void LogConnectFailed(ILogger logger, string broker, string reason, long delayMs, int failures);

    [LoggerMessage(EventId = 1713, Level = LogLevel.Warning, Message = "MQTT session lost: {Reason}; reconnecting in {DelayMs} ms, changes go to the store meanwhile")]
    private static partial void LogSessionLost(ILogger logger, string reason, long delayMs);

    [LoggerMessage(EventId = 1714, Level = LogLevel.Information, Message = "Births sent: NBIRTH bdSeq {BdSeq}, {Born} of {Devices} devices born")]
    private static partial void LogBorn(ILogger logger, ulong bdSeq, int born, int devices);

    [LoggerMessage(EventId = 1715, Level = LogLevel.Information, Message = "Device {Device} is {State}: {Detail}")]
    private static partial void LogDeviceState(ILogger logger, string device, string state, string detail);

    [LoggerMessage(EventId = 1716, Level = LogLevel.Information, Message = "Primary host {Host} is {State}")]
    private static partial void LogHost(ILogger logger, string host, string state);

    [LoggerMessage(EventId = 1717, Level = LogLevel.Debug, Message = "Ignored a STATE message of host {Host} that is neither Sparkplug 3.0 JSON nor ONLINE/OFFLINE")]
    private static partial void LogBadState(ILogger logger, string host);

    [LoggerMessage(EventId = 1718, Level = LogLevel.Information, Message = "Rebirth requested by a host (NCMD Node Control/Rebirth)")]
    private static partial void LogRebirthRequested(ILogger logger);

    [LoggerMessage(EventId = 1719, Level = LogLevel.Warning, Message = "{Kind} refused ({Reason}): {Detail}")]
    private static partial void LogCommandRefused(ILogger logger, string kind, string reason, string detail);

    [LoggerMessage(EventId = 1720, Level = LogLevel.Information, Message = "MQTT session ended: {Reason}")]
    private static partial void LogSessionEnded(ILogger logger, string reason);

    [LoggerMessage(EventId = 1721, Level = LogLevel.Debug, Message = "Closing the MQTT client failed: {Reason}")]
    private static partial void LogDisposeFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1722, Level = LogLevel.Warning, Message = "Stored history of {Device} dropped: the device has no birth in this session")]
    private static partial void LogReplayDropped(ILogger logger, string device);

    [LoggerMessage(EventId = 1723, Level = LogLevel.Information, Message = "Store {Path} holds {Count} messages ({Bytes} bytes) from before; they are replayed after the births")]
    private static partial void LogStoreOpened(ILogger logger, string path, long count, long bytes);

    [LoggerMessage(EventId = 1724, Level = LogLevel.Warning, Message = "No tag of {Device} matches the <publish> rules: its DBIRTH is empty")]
    private static partial void LogNoMetrics(ILogger logger, string device);
}
