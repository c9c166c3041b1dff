using System.Globalization;

namespace EdgePartition.Northbound.Store;

/// <summary>
/// The next bdSeq, kept in a file beside the store so a restarted node does not reuse the number of its previous
/// session (§4.2.1.1: +1 per CONNECT, 255 wraps to 0). Written before the CONNECT that uses it.
/// </summary>
internal sealed class BdSeqFile(string path)
{
    public ulong Next()
    {
        ulong current = 0;
        try
        {
            if (File.Exists(path) && ulong.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var stored))
            {
                current = stored % 256;
            }
        }
        catch (IOException)
        {
            // Unreadable: start at 0; hosts only need the NBIRTH and the Will of one session to agree.
        }

        var temporary = path + ".tmp";
        File.WriteAllText(temporary, ((current + 1) % 256).ToString(CultureInfo.InvariantCulture));
        File.Move(temporary, path, overwrite: true);
        return current;
    }
}
