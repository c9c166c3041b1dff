using EdgePartition.Config;
using EdgePartition.Northbound.Tests.Support;

namespace EdgePartition.Northbound.Tests;

public sealed class CredentialsTests
{
    [Fact]
    public async Task WrongPasswordIsAClearErrorWithBackoffAndNeverLogged()
    {
        const string Right = "Right-Pa55-4711";
        const string Wrong = "Wrong-Pa55-0815";
        var variable = $"EDGEPART_TEST_MQTT_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, Wrong);
        try
        {
            await using var broker = await MosquittoBroker.StartAsync(new Dictionary<string, string> { ["edge"] = Right });
            await using var rig = new PublisherRig("plc1");
            rig.Devices[0].Cycle(1);
            var config = PublisherRig.Config(broker, rig.Partition);
            rig.Start(new NorthboundConfig
            {
                Brokers = config.Brokers,
                GroupId = config.GroupId,
                EdgeNodeId = config.EdgeNodeId,
                ClientId = config.ClientId,
                ReconnectMin = TimeSpan.FromMilliseconds(50),
                ReconnectMax = TimeSpan.FromMilliseconds(400),
                Credentials = new MqttCredentialsConfig { UserName = "edge", PasswordEnvironmentVariable = variable },
            });

            await Eventually.PollAsync(() => rig.Counters.ConnectFailures >= 4, "four refused attempts");
            var lines = rig.Logger.Lines;
            Assert.Contains(lines, l => l.Contains("refused the user name or password", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains(Wrong, StringComparison.Ordinal) || l.Contains(Right, StringComparison.Ordinal));
            Assert.Equal(0, rig.Counters.Births);

            // The delays grow (bounded exponential backoff): the failure counter is in every line.
            Assert.Contains(lines, l => l.Contains("(failure 3)", StringComparison.Ordinal));

            // The right password: the same publisher gets in on its next attempt.
            Environment.SetEnvironmentVariable(variable, Right);
            await Eventually.PollAsync(() => rig.Counters.Births >= 1, "births once the password is right");
            Assert.DoesNotContain(rig.Logger.Lines, l => l.Contains(Right, StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
