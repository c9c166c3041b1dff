namespace EdgePartition.Northbound.Store;

/// <summary>A DDATA body kept while nobody could receive it: its metrics are marked historical and carry their original timestamps.</summary>
internal readonly record struct StoredMessage(long Id, long StoredUnixMs, string Device, byte[] Body);
