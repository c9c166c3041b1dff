using System.Runtime.Versioning;

// Everything here runs on Linux only: notify sockets, futexes, SCHED_FIFO, systemd-analyze.
[assembly: SupportedOSPlatform("linux")]
