namespace EdgePartition.Testing.Peers;

/// <summary>Where snap7 (node-snap7, installed by tests/peers/install-snap7.sh) and its node scripts live.</summary>
public static class Snap7Peer
{
    public static string Directory => Path.Combine(RepoPaths.PeersDirectory, "s7");

    public static string ServerScript => Path.Combine(Directory, "snap7-server.js");

    public static string ClientScript => Path.Combine(Directory, "snap7-client.js");

    /// <summary>The static snap7 library the node-snap7 build leaves (for the C benchmark).</summary>
    public static string StaticLibrary => Path.Combine(Directory, "node_modules", "node-snap7", "build", "Release", "snap7.a");

    public static bool IsInstalled => File.Exists(Path.Combine(Directory, "node_modules", "node-snap7", "build", "Release", "node_snap7.node"));

    /// <summary>Throws with the install command when snap7 is missing, so a test fails with a clear cause.</summary>
    public static void EnsureInstalled()
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException($"snap7 is not installed: run tests/peers/install-snap7.sh (looked in {Directory}).");
        }
    }

    /// <summary>The area names the scripts use: snap7's (PE inputs, PA outputs, MK flags, CT counters, TM timers, DB).</summary>
    public static class Areas
    {
        public const string Inputs = "PE";
        public const string Outputs = "PA";
        public const string Flags = "MK";
        public const string Counters = "CT";
        public const string Timers = "TM";
        public const string DataBlock = "DB";
    }
}
