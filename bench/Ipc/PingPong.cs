using System.Diagnostics;
using System.Net.Sockets;
using EdgePartition.Native;

namespace EdgePartition.Ipc.Benchmarks;

/// <summary>
/// Cross-process round trips. The parent ("ping") starts a child ("pong") that echoes each message; one-way latency
/// is half the round trip, the same way for the baselines and for segments.
/// </summary>
internal static unsafe class PingPong
{
    public const int Warmup = 2_000;

    // ---- baseline 1: two cache lines in a shared /dev/shm file, both sides spinning ----
    public static long[] CacheLinePing(string file, int iterations)
    {
        using var map = MapShared(file, create: true);
        var ping = (long*)map.Pointer;
        var pong = (long*)(map.Pointer + 128);
        using var child = Child.Start("cacheline-pong", file, (iterations + Warmup).ToString());
        child.WaitReady();
        var samples = new long[iterations];
        for (long n = 1; n <= iterations + Warmup; n++)
        {
            var start = Stopwatch.GetTimestamp();
            Volatile.Write(ref *ping, n);
            while (Volatile.Read(ref *pong) != n)
            {
            }

            if (n > Warmup)
            {
                samples[n - Warmup - 1] = Stopwatch.GetTimestamp() - start;
            }
        }

        child.WaitExit();
        return samples;
    }

    public static void CacheLinePong(string file, long total)
    {
        using var map = MapShared(file, create: false);
        var ping = (long*)map.Pointer;
        var pong = (long*)(map.Pointer + 128);
        Child.SignalReady();
        for (long n = 1; n <= total; n++)
        {
            while (Volatile.Read(ref *ping) != n)
            {
            }

            Volatile.Write(ref *pong, n);
        }
    }

    // ---- baseline 2: bare futex ping-pong (both sides sleep in FUTEX_WAIT) ----
    public static long[] FutexPing(string file, int iterations)
    {
        using var map = MapShared(file, create: true);
        var ping = (uint*)map.Pointer;
        var pong = (uint*)(map.Pointer + 128);
        using var child = Child.Start("futex-pong", file, (iterations + Warmup).ToString());
        child.WaitReady();
        var samples = new long[iterations];
        for (uint n = 1; n <= iterations + Warmup; n++)
        {
            var start = Stopwatch.GetTimestamp();
            Volatile.Write(ref *ping, n);
            Futex.WakeAll(ping);
            while (Volatile.Read(ref *pong) != n)
            {
                Futex.Wait(pong, n - 1, TimeSpan.FromSeconds(5));
            }

            if (n > Warmup)
            {
                samples[n - Warmup - 1] = Stopwatch.GetTimestamp() - start;
            }
        }

        child.WaitExit();
        return samples;
    }

    public static void FutexPong(string file, long total)
    {
        using var map = MapShared(file, create: false);
        var ping = (uint*)map.Pointer;
        var pong = (uint*)(map.Pointer + 128);
        Child.SignalReady();
        for (uint n = 1; n <= total; n++)
        {
            while (Volatile.Read(ref *ping) != n)
            {
                Futex.Wait(ping, n - 1, TimeSpan.FromSeconds(5));
            }

            Volatile.Write(ref *pong, n);
            Futex.WakeAll(pong);
        }
    }

    // ---- baseline 3: Unix-domain stream socket, 64-byte message echoed ----
    public static long[] SocketPing(string path, int iterations)
    {
        using var child = Child.Start("socket-pong", path, (iterations + Warmup).ToString());
        child.WaitReady();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        var buffer = new byte[64];
        var samples = new long[iterations];
        for (var n = 1; n <= iterations + Warmup; n++)
        {
            var start = Stopwatch.GetTimestamp();
            socket.Send(buffer);
            for (var got = 0; got < buffer.Length;)
            {
                got += socket.Receive(buffer.AsSpan(got));
            }

            if (n > Warmup)
            {
                samples[n - Warmup - 1] = Stopwatch.GetTimestamp() - start;
            }
        }

        child.WaitExit();
        return samples;
    }

    public static void SocketPong(string path, long total)
    {
        File.Delete(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        Child.SignalReady();
        using var socket = listener.Accept();
        var buffer = new byte[64];
        for (long n = 1; n <= total; n++)
        {
            for (var got = 0; got < buffer.Length;)
            {
                got += socket.Receive(buffer.AsSpan(got));
            }

            socket.Send(buffer);
        }

        File.Delete(path);
    }

    private static SharedMapping MapShared(string file, bool create)
    {
        using var fd = SafeFdHandle.Open(file, Interop.Libc.O_RDWR | (create ? Interop.Libc.O_CREAT : 0));
        if (create && Interop.Libc.Ftruncate(fd.Fd, 4096) != 0)
        {
            throw new IOException("ftruncate failed");
        }

        return SharedMapping.Map(fd, 4096, writable: true, file);
    }
}
