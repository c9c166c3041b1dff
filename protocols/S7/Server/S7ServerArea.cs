namespace EdgePartition.S7.Server;

/// <summary>A registered area: its memory and the gate that serialises clients, the host and LockArea.</summary>
internal sealed class S7ServerArea(Memory<byte> memory)
{
    public Memory<byte> Memory { get; } = memory;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public static int Key(S7Area area, int number) => ((int)area << 16) | (area == S7Area.DB ? number : 0);
}
