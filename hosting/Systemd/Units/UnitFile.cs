namespace EdgePartition.Hosting.Systemd.Units;

/// <summary>A generated unit file or drop-in; <see cref="RelativePath"/> is relative to /etc/systemd/system.</summary>
public sealed record UnitFile(string RelativePath, string Content);
