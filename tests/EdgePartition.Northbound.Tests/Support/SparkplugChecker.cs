using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgePartition.Northbound.Tests.Support;

/// <summary>
/// The independent Sparkplug checker (tests/peers/mqtt/sparkplug-check.mjs: Node, MQTT.js and Eclipse Tahu's
/// codec) as a child process: every message it decodes and every rule violation it finds arrive here as JSON.
/// </summary>
internal sealed class SparkplugChecker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<JsonObject> _events = [];
    private readonly List<(Func<JsonObject, bool> Match, TaskCompletionSource<JsonObject> Done)> _waiters = [];

    private SparkplugChecker(Process process) => _process = process;

    public static string ScriptPath => RepoPaths.Combine("tests", "peers", "mqtt", "sparkplug-check.mjs");

    /// <param name="session">A persistent session id: messages published while the checker is away are queued for it.</param>
    public static async Task<SparkplugChecker> StartAsync(MosquittoBroker broker, string? session = null)
    {
        var info = new ProcessStartInfo("node", session is null ? [ScriptPath, "--url", broker.Uri] : [ScriptPath, "--url", broker.Uri, "--session", session])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var checker = new SparkplugChecker(Process.Start(info)!);
        checker._process.OutputDataReceived += (_, e) => checker.OnLine(e.Data);
        checker._process.ErrorDataReceived += (_, e) => checker.OnLine(e.Data is null ? null : JsonSerializer.Serialize(new { @event = "stderr", detail = e.Data }));
        checker._process.BeginOutputReadLine();
        checker._process.BeginErrorReadLine();
        await checker.WaitForAsync(e => Event(e) == "ready", "the checker subscribed").ConfigureAwait(false);
        return checker;
    }

    public static string? Event(JsonObject e) => (string?)e["event"];

    public IReadOnlyList<JsonObject> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Decoded messages of one type (NBIRTH, DDATA...), in arrival order.</summary>
    public IReadOnlyList<JsonObject> Messages(string type) => [.. Events.Where(e => Event(e) == "message" && (string?)e["type"] == type)];

    public IReadOnlyList<JsonObject> Violations => [.. Events.Where(e => Event(e) == "violation")];

    public string Transcript => string.Join('\n', Events.Select(e => e.ToJsonString()).TakeLast(60));

    public Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, string what, bool includePast = true)
    {
        var done = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var seen = includePast ? _events.FirstOrDefault(match) : null;
            if (seen is not null)
            {
                return Task.FromResult(seen);
            }

            _waiters.Add((match, done));
        }

        return Eventually.CompletesAsync(done, what + "\n" + Transcript, TestTimeouts.Default);
    }

    public Task<JsonObject> WaitForMessageAsync(string type, string? device = null, bool includePast = false, Func<JsonObject, bool>? also = null) =>
        WaitForAsync(e => Event(e) == "message" && (string?)e["type"] == type && (device is null || (string?)e["device"] == device) && (also?.Invoke(e) ?? true), $"a {type} {device}", includePast);

    public async Task SendAsync(object command)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command)).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>The checker's reassembled values of every node and device.</summary>
    public async Task<JsonObject> DumpAsync()
    {
        int before;
        lock (_gate)
        {
            before = _events.Count(e => Event(e) == "dump");
        }

        await SendAsync(new { cmd = "dump" }).ConfigureAwait(false);
        await WaitForAsync(e => Event(e) == "dump" && Events.Count(x => Event(x) == "dump") > before, "a dump").ConfigureAwait(false);
        return Events.Last(e => Event(e) == "dump")["nodes"]!.AsObject();
    }

    private void OnLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        JsonObject item;
        try
        {
            item = JsonNode.Parse(line)!.AsObject();
        }
        catch (JsonException)
        {
            item = new JsonObject { ["event"] = "text", ["detail"] = line };
        }

        lock (_gate)
        {
            _events.Add(item);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(item))
                {
                    _waiters[i].Done.TrySetResult(item);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
