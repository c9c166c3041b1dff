using System.Collections;

namespace EdgePartition.Hosting.Logging;

/// <summary>
/// A logging scope naming the device a piece of work is for. Both the console formatter and Serilog read it as the
/// "Device" property, so every line logged inside it says which device it is about.
/// </summary>
public sealed class DeviceScope(string device) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string PropertyName = "Device";

    public string Device { get; } = device;

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] => index == 0
        ? new KeyValuePair<string, object?>(PropertyName, Device)
        : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"Device:{Device}";
}
