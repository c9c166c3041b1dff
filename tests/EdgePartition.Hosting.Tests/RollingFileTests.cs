using EdgePartition.Hosting.Logging;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Hosting.Tests;

public sealed class RollingFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("eplog").FullName;

    [Fact]
    public void RollsBySizeAndKeepsTheRetainedCount()
    {
        var path = Path.Combine(_directory, "line1-sync.log");
        using (var loggerFactory = LoggerFactory.Create(logging => logging.AddPartitionLogging(
            new ProcessIdentity("line1", "sync"),
            new PartitionLoggingOptions
            {
                Console = ConsoleLogFormat.None,
                File = new RollingFileOptions { Path = path, MaxFileBytes = 4096, RetainedFiles = 3 },
            })))
        {
            var logger = loggerFactory.CreateLogger("EdgePartition.Sync.Merger");
            for (int i = 0; i < 400; i++)
            {
                logger.LogInformation("merged block {Index} of the partition image", i);
            }
        }

        var files = Directory.GetFiles(_directory).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, files.Length);
        var today = DateTime.Now.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(files, file => Assert.StartsWith($"line1-sync{today}", Path.GetFileName(file)));
        Assert.All(files, file => Assert.True(new FileInfo(file).Length <= 4096 + 200, $"{file} exceeds the size limit"));
        var newest = File.ReadAllLines(files[^1]);
        Assert.Contains(newest, line => line.EndsWith("[line1/sync] EdgePartition.Sync.Merger: merged block 399 of the partition image", StringComparison.Ordinal));
    }

    [Fact]
    public void FileLinesCarryTheDeviceFromScopeOrMessage()
    {
        var path = Path.Combine(_directory, "line1-collector.log");
        using (var loggerFactory = LoggerFactory.Create(logging => logging.AddPartitionLogging(
            new ProcessIdentity("line1", "collector-s7"),
            new PartitionLoggingOptions { Console = ConsoleLogFormat.None, File = new RollingFileOptions { Path = path, RollDaily = false } })))
        {
            var logger = loggerFactory.CreateLogger("EdgePartition.Collector.S7Driver");
            using (logger.BeginDeviceScope("plc1"))
            {
                logger.LogWarning("connection reset");
            }

            logger.LogError("timeout on {Device}", "plc2");
            logger.LogInformation("all devices polled");
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^\S+ WRN \[line1/collector-s7/plc1\] EdgePartition.Collector.S7Driver: connection reset$", lines[0]);
        Assert.Matches(@"^\S+ ERR \[line1/collector-s7/plc2\] EdgePartition.Collector.S7Driver: timeout on ""?plc2""?$", lines[1]);
        Assert.Matches(@"^\S+ INF \[line1/collector-s7\] EdgePartition.Collector.S7Driver: all devices polled$", lines[2]);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
