using EdgePartition.Config;
using EdgePartition.Ipc;
using EdgePartition.S7;
using EdgePartition.Sync.Image;

namespace EdgePartition.Sync.Tests.Image;

/// <summary>
/// PLC bytes of S7 STRING (Latin-1) and WSTRING (UTF-16 big-endian) read by the collector into a segment must come
/// back byte for byte when sync writes them into the merged image (RawValueEncoder), or a PLC reads other text.
/// </summary>
public sealed class S7StringRoundTripTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgepart-s7string-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void StringWithLatin1DegreeSignSurvivesSyncImage()
    {
        byte[] plc = [8, 2, 0xB0, (byte)'C', 0, 0, 0, 0, 0, 0];
        Assert.Equal(plc, RoundTrip("STRING", 8, plc));
    }

    [Fact]
    public void WStringWithNonAsciiCharactersSurvivesSyncImage()
    {
        byte[] plc = new byte[4 + (2 * 6)];
        S7ValueCodec.SetWString(plc, 6, "Ω°Cä€");
        Assert.Equal(plc, RoundTrip("WSTRING", 6, plc));
    }

    /// <summary>The collector's decoding into a segment, then sync's encoding of the slot into image bytes.</summary>
    private byte[] RoundTrip(string type, int characters, byte[] plc)
    {
        var config = new TagConfig
        {
            Name = "text",
            Address = "DB1.DBB0",
            DataType = type,
            StringLength = characters,
            PollGroup = "fast",
            ByteLength = plc.Length,
        };
        var layout = SegmentLayout.Create([new TagDescriptor("text", IpcDataType.String, 1, 3 * characters)]);
        using var writer = SegmentWriter.Create(_directory, "p", "plc1", layout);
        writer.SetString(0, type == "STRING" ? S7ValueCodec.GetString(plc) : S7ValueCodec.GetWString(plc));
        writer.Commit();

        using var reader = SegmentReader.Open(_directory, "p", "plc1");
        var snapshot = reader.CreateSnapshot();
        Assert.True(reader.TryReadSnapshot(snapshot));
        var image = new byte[plc.Length];
        Assert.True(RawValueEncoder.TryEncode(snapshot, 0, DeviceValueFormat.Of(config, Protocol.S7), image));
        return image;
    }
}
