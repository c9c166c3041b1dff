using EdgePartition.Config;
using Microsoft.Data.Sqlite;

namespace EdgePartition.Northbound.Store;

/// <summary>
/// The store-and-forward queue on disk: SQLite in WAL mode (Microsoft.Data.Sqlite). Chosen over a home-made
/// append-only log because SQLite already gives what the log would have to prove: a record is either whole or
/// absent after a crash (a torn WAL frame fails its checksum and is cut at open), and deleting the oldest rows
/// and the replayed ones is one indexed statement. fsync follows <see cref="StoreSyncPolicy"/>: Always =
/// synchronous=FULL (every commit durable), Interval = synchronous=NORMAL plus a checkpoint every second
/// (the WAL is synced at checkpoints; a power loss loses at most about a second, a process crash nothing),
/// None = synchronous=OFF. Beyond the size or age bound the oldest rows are deleted and counted.
/// Single-threaded: only the publisher loop uses it.
/// </summary>
internal sealed class MessageStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _readOldest;
    private readonly SqliteCommand _delete;
    private readonly long _maxBytes;
    private readonly long _maxAgeMs;
    private readonly StoreSyncPolicy _sync;
    private long _bytes;
    private long _count;
    private long _lastCheckpointMs;

    private MessageStore(SqliteConnection connection, StoreAndForwardConfig config)
    {
        _connection = connection;
        _maxBytes = config.MaxBytes;
        _maxAgeMs = (long)config.MaxAge.TotalMilliseconds;
        _sync = config.Sync;
        Execute($"PRAGMA journal_mode=WAL; PRAGMA synchronous={SynchronousPragma(config.Sync)};");
        Execute("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY AUTOINCREMENT, stored_ms INTEGER NOT NULL, device TEXT NOT NULL, body BLOB NOT NULL);");
        _insert = Prepare("INSERT INTO messages (stored_ms, device, body) VALUES ($ms, $device, $body);", "$ms", "$device", "$body");
        _readOldest = Prepare("SELECT id, stored_ms, device, body FROM messages ORDER BY id LIMIT $n;", "$n");
        _delete = Prepare("DELETE FROM messages WHERE id <= $id;", "$id");
        using var totals = _connection.CreateCommand();
        totals.CommandText = "SELECT COUNT(*), COALESCE(SUM(LENGTH(body)), 0) FROM messages;";
        using var reader = totals.ExecuteReader();
        reader.Read();
        _count = reader.GetInt64(0);
        _bytes = reader.GetInt64(1);
    }

    /// <summary>Messages waiting.</summary>
    public long Count => _count;

    /// <summary>Body bytes waiting.</summary>
    public long Bytes => _bytes;

    /// <summary>Oldest messages deleted because of the size or age bound, since this process started.</summary>
    public long Dropped { get; private set; }

    public string Path { get; private init; } = "";

    public static MessageStore Open(string directory, StoreAndForwardConfig config)
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, "northbound-store.db");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        connection.Open();
        return new MessageStore(connection, config) { Path = path };
    }

    /// <summary>Appends one message, then enforces the bounds (oldest first).</summary>
    public void Append(string device, ReadOnlySpan<byte> body, long nowMs)
    {
        _insert.Parameters[0].Value = nowMs;
        _insert.Parameters[1].Value = device;
        _insert.Parameters[2].Value = body.ToArray();
        _insert.ExecuteNonQuery();
        _count++;
        _bytes += body.Length;
        Enforce(nowMs);
    }

    /// <summary>Up to <paramref name="max"/> oldest messages, in the order they were stored.</summary>
    public List<StoredMessage> ReadOldest(int max)
    {
        var list = new List<StoredMessage>(Math.Min(max, 1024));
        _readOldest.Parameters[0].Value = max;
        using var reader = _readOldest.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new StoredMessage(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), (byte[])reader[3]));
        }

        return list;
    }

    /// <summary>Removes the messages up to <paramref name="id"/> once they are sent.</summary>
    public void RemoveThrough(long id, int count, long bytes)
    {
        _delete.Parameters[0].Value = id;
        _delete.ExecuteNonQuery();
        _count = Math.Max(0, _count - count);
        _bytes = Math.Max(0, _bytes - bytes);
    }

    /// <summary>Called every tick: the age bound and, with <see cref="StoreSyncPolicy.Interval"/>, the once-a-second checkpoint.</summary>
    public void Maintain(long nowMs)
    {
        Enforce(nowMs);
        if (_sync == StoreSyncPolicy.Interval && nowMs - _lastCheckpointMs >= 1000)
        {
            _lastCheckpointMs = nowMs;
            Execute("PRAGMA wal_checkpoint(PASSIVE);");
        }
    }

    private void Enforce(long nowMs)
    {
        if (_count == 0)
        {
            return;
        }

        var dropped = 0L;
        using (var old = _connection.CreateCommand())
        {
            old.CommandText = "DELETE FROM messages WHERE stored_ms < $limit RETURNING LENGTH(body);";
            old.Parameters.AddWithValue("$limit", nowMs - _maxAgeMs);
            dropped += DeleteCounting(old);
        }

        while (_bytes > _maxBytes && _count > 0)
        {
            // Drop the oldest tenth (at least one row) per round, so a full store does not pay a delete per append.
            using var oldest = _connection.CreateCommand();
            oldest.CommandText = "DELETE FROM messages WHERE id IN (SELECT id FROM messages ORDER BY id LIMIT $n) RETURNING LENGTH(body);";
            oldest.Parameters.AddWithValue("$n", Math.Max(1, _count / 10));
            dropped += DeleteCounting(oldest);
        }

        Dropped += dropped;
    }

    private long DeleteCounting(SqliteCommand command)
    {
        var rows = 0L;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows++;
            _bytes -= reader.GetInt64(0);
        }

        _count -= rows;
        return rows;
    }

    private static string SynchronousPragma(StoreSyncPolicy policy) => policy switch
    {
        StoreSyncPolicy.Always => "FULL",
        StoreSyncPolicy.None => "OFF",
        _ => "NORMAL",
    };

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _readOldest.Dispose();
        _delete.Dispose();
        _connection.Dispose();
    }
}
