using System.Diagnostics;
using EdgePartition.Ipc;
using EdgePartition.Ipc.TestProcess;
using EdgePartition.Native;

// Child process for the IPC tests. Prints one line per milestone on stdout; tests wait for those lines.
// Modes:
//   stress-writer <dir> <partition> <name> [max-commits]     commits flat out until stdin closes or killed
//   torn-writer <dir> <partition> <name>                      commits, then abandons a commit half done and SIGKILLs itself
//   stress-reader <dir> <partition> <name> <snapshots> <seconds>  snapshots and checks each one
//   hold-mutex <dir> <partition> <device>                     takes the write queue's mutex and never lets go
//   idle-writer <dir> <partition> <name>                     commits once, then only heartbeats until killed
//   enqueue-and-die <dir> <partition> <device> <step>         enqueues one request and SIGKILLs itself at that step of the lock protocol
//   write-through-reader <dir> <partition> <name>             tries to store into a reader's mapping (the OS kills it)
//   wait-reader <dir> <partition> <name>                      one WaitForChange (60 s) from the current sequence, then reports
var mode = args[0];
var (directory, partition, name) = (args[1], args[2], args[3]);
switch (mode)
{
    case "stress-writer":
        return StressWriter(args.Length > 4 ? long.Parse(args[4]) : long.MaxValue);
    case "torn-writer":
        return TornWriter();
    case "stress-reader":
        return StressReader(long.Parse(args[4]), double.Parse(args[5]));
    case "hold-mutex":
        return HoldMutex();
    case "idle-writer":
        return IdleWriter();
    case "enqueue-and-die":
        return EnqueueAndDie(args[4]);
    case "write-through-reader":
        return WriteThroughReader();
    case "wait-reader":
        return WaitReader();
    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 2;
}

int StressWriter(long maxCommits)
{
    using var writer = SegmentWriter.Create(directory, partition, name, StressLayout.Create());
    var stop = 0;
    var stdinWatcher = new Thread(() =>
    {
        while (Console.In.ReadLine() is not null)
        {
        }

        Volatile.Write(ref stop, 1);
    })
    { IsBackground = true };
    stdinWatcher.Start();
    var generation = (long)writer.CommitCount * 1000;
    StressLayout.Stage(writer, generation);
    writer.Commit();
    Console.WriteLine($"ready repaired={writer.RepairedTornCommit} epoch={writer.Epoch:x16}");
    var lastBeat = Stopwatch.GetTimestamp();
    for (long i = 1; i < maxCommits && Volatile.Read(ref stop) == 0; i++)
    {
        StressLayout.Stage(writer, ++generation);
        writer.Commit();
        if (Stopwatch.GetElapsedTime(lastBeat) > TimeSpan.FromMilliseconds(100))
        {
            writer.Heartbeat();
            lastBeat = Stopwatch.GetTimestamp();
        }
    }

    Console.WriteLine($"stopped commits={writer.CommitCount}");
    return 0;
}

int TornWriter()
{
    var writer = SegmentWriter.Create(directory, partition, name, StressLayout.Create());
    StressLayout.Stage(writer, 7);
    writer.Commit();
    StressLayout.Stage(writer, 8);
    writer.BeginCommitAndAbandon();
    Console.WriteLine("abandoned");
    Console.Out.Flush();
    _ = Interop.Libc.Kill(Environment.ProcessId, 9);
    Thread.Sleep(Timeout.Infinite);
    return 1;
}

int StressReader(long wanted, double seconds)
{
    using var reader = SegmentReader.Open(directory, partition, name);
    var snapshot = reader.CreateSnapshot();
    Console.WriteLine("attached");
    long taken = 0, inconsistent = 0, collisions = 0, failed = 0;
    var start = Stopwatch.GetTimestamp();
    while (taken < wanted && Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
    {
        if (!reader.TryReadSnapshot(snapshot, maxAttempts: 1000))
        {
            failed++;
            continue;
        }

        taken++;
        collisions += snapshot.Attempts - 1;
        if (!StressLayout.IsConsistent(snapshot))
        {
            inconsistent++;
        }
    }

    Console.WriteLine($"done snapshots={taken} inconsistent={inconsistent} collisions={collisions} failed={failed}");
    return 0;
}

int WaitReader()
{
    using var reader = SegmentReader.Open(directory, partition, name);
    var seen = reader.ChangeSequence;
    Console.WriteLine($"waiting seen={seen}");
    Console.Out.Flush();
    var changed = reader.WaitForChange(seen, TimeSpan.FromSeconds(60));
    Console.WriteLine($"woken changed={(changed ? 1 : 0)} seq={reader.ChangeSequence} counted={(reader.IsCountedWaiter ? 1 : 0)}");
    return 0;
}

int IdleWriter()
{
    var writer = SegmentWriter.Create(directory, partition, name, StressLayout.Create());
    StressLayout.Stage(writer, 1);
    writer.Commit();
    Console.WriteLine("ready");
    Console.Out.Flush();

    // Alive the way a real writer is: heartbeats, no commits.
    while (true)
    {
        writer.Heartbeat();
        Thread.Sleep(100);
    }
}

int EnqueueAndDie(string step)
{
    using var queue = WriteQueue.Open(directory, partition, name);
    WriteQueue.StepHook = reached =>
    {
        if (reached == step)
        {
            Console.WriteLine($"dying at {step}");
            Console.Out.Flush();
            _ = Interop.Libc.Kill(Environment.ProcessId, Interop.Libc.SIGKILL);
            Thread.Sleep(Timeout.Infinite);
        }
    };
    var result = queue.TryEnqueue(0, 0, [9], "victim", TimeSpan.FromSeconds(10));
    Console.WriteLine($"survived {result.Status}");
    return 1;
}

int HoldMutex()
{
    using var queue = WriteQueue.Open(directory, partition, name);
    if (!queue.AcquireMutex(TimeSpan.FromSeconds(10)))
    {
        Console.WriteLine("timeout");
        return 1;
    }

    Console.WriteLine("held");
    Console.Out.Flush();
    Thread.Sleep(Timeout.Infinite);
    return 0;
}

unsafe int WriteThroughReader()
{
    using var reader = SegmentReader.Open(directory, partition, name);
    Console.WriteLine("attached");
    Console.Out.Flush();
    Volatile.Write(ref *(ulong*)(reader.MappedBase + SegmentFormat.CommitSequenceOffset), 12345UL);
    Console.WriteLine("wrote");
    return 0;
}
