using System.Diagnostics;
using System.Reflection;
using EdgePartition.Collector.Workers;
using EdgePartition.Hosting.Cycles;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgePartition.Collector.Tests;

public sealed class AllocationTests
{
    [Fact]
    public async Task PollCyclesOfASimDeviceAllocateNothing()
    {
        using var partition = TestPartition.Create("""
            <simDevices xmlns="urn:edgepartition:sim:1">
              <device name="sim1">
                <pollGroup name="main" cycleMs="1">
                  <tag name="counter" type="int32" generator="counter" periodMs="1" min="0" max="1000000"/>
                  <tag name="wave" type="float64" generator="sine" periodMs="100" min="-1" max="1" deadband="0.01"/>
                  <tag name="levels" type="float32" generator="random" periodMs="5" min="0" max="10"/>
                  <tag name="flag" type="bool" generator="square" periodMs="10" min="0" max="1"/>
                </pollGroup>
              </device>
            </simDevices>
            """);
        var config = partition.Load();
        var worker = DeviceWorker.Create(config, config.GetDevice("sim1"), driver: null, new DeviceWorkerOptions(), NullLogger.Instance);
        try
        {
            // Warm up: connect, JIT, first polls.
            RunCyclesUntil(worker, worker.CommittedCycles + 20);

            var committedBefore = worker.CommittedCycles;
            var before = GC.GetAllocatedBytesForCurrentThread();
            var ran = RunCyclesUntil(worker, committedBefore + 200);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.True(worker.CommittedCycles >= committedBefore + 200, $"only {worker.CommittedCycles - committedBefore} polls in {ran} cycles");
            if (IsOptimized(typeof(DeviceWorker).Assembly))
            {
                Assert.Equal(0, allocated);
            }
            else
            {
                // A Debug build compiles async state machines as classes (one object per call); Release as structs.
                Assert.True(allocated / ran < 512, $"{allocated} bytes in {ran} cycles");
            }
        }
        finally
        {
            await worker.DisposeAsync();
        }
    }

    private static bool IsOptimized(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };

    /// <summary>Runs scheduled cycles on this thread until <paramref name="committed"/> cycles committed (bounded).</summary>
    private static long RunCyclesUntil(DeviceWorker worker, ulong committed)
    {
        long ran = 0;
        var deadline = Environment.TickCount64 + 10_000;
        while (worker.CommittedCycles < committed && Environment.TickCount64 < deadline)
        {
            var pending = worker.RunCycleAsync(new CycleTick(ran, CycleTrigger.Scheduled, 0, 0), CancellationToken.None);
            Assert.True(pending.IsCompletedSuccessfully);
            ran++;
        }

        return ran;
    }
}
