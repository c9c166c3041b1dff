namespace EdgePartition.S7;

/// <summary>Memory areas with their S7ANY area codes (S7comm area table; snap7 S7Area*).</summary>
public enum S7Area : byte
{
    /// <summary>Process inputs (I / E, snap7 PE).</summary>
    I = 0x81,

    /// <summary>Process outputs (Q / A, snap7 PA).</summary>
    Q = 0x82,

    /// <summary>Flags / merkers (M, snap7 MK).</summary>
    M = 0x83,

    /// <summary>Data blocks.</summary>
    DB = 0x84,

    /// <summary>S7 counters (C / Z); elements of 2 bytes addressed by number.</summary>
    C = 0x1C,

    /// <summary>S7 timers (T); elements of 2 bytes addressed by number.</summary>
    T = 0x1D,
}

/// <summary>Helpers about areas.</summary>
public static class S7AreaExtensions
{
    /// <summary>Counters and timers are addressed by element number (2 bytes each), not by byte.</summary>
    public static bool IsElementAddressed(this S7Area area) => area is S7Area.C or S7Area.T;

    /// <summary>True for the six areas this stack knows.</summary>
    public static bool IsDefined(this S7Area area) => area is S7Area.I or S7Area.Q or S7Area.M or S7Area.DB or S7Area.C or S7Area.T;
}
