namespace EdgePartition.Sync.Image;

/// <summary>A run of image bytes: [<see cref="Offset"/>, <see cref="Offset"/> + <see cref="Length"/>).</summary>
internal readonly record struct ByteRange(int Offset, int Length)
{
    public int End => Offset + Length;
}
