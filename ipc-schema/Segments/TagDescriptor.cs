namespace EdgePartition.Ipc;

/// <summary>
/// One entry of a segment's immutable tag table.
/// </summary>
/// <param name="Name">Unique tag name, at most 63 UTF-8 bytes.</param>
/// <param name="DataType">Value type of each element.</param>
/// <param name="ArrayLength">Number of elements; 1 for a scalar.</param>
/// <param name="MaxLength">For String and Bytes: the most bytes one element holds; otherwise 0.</param>
/// <param name="Address">Device address text such as "DB10.DBD4", "40001" or "ns=2;s=x", at most 63 UTF-8 bytes.</param>
/// <param name="Writable">Whether write requests may target this tag.</param>
public sealed record TagDescriptor(
    string Name,
    IpcDataType DataType,
    int ArrayLength = 1,
    int MaxLength = 0,
    string Address = "",
    bool Writable = false);
