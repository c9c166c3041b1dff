using System.Collections;
using System.Reflection;

namespace EdgePartition.Config.Tests;

/// <summary>
/// Compares two configuration models property by property (lists element by element) and names the first
/// difference. Where something was declared (Location, file paths) is not part of the content and is skipped, and
/// so are the typed views of a device's connection (S7, Modbus, OpcUa), which throw for other protocols.
/// </summary>
internal static class ModelComparer
{
    private static readonly HashSet<string> Skipped = ["Location", "SourcePath", "Path", "S7", "Modbus", "OpcUa"];

    public static void AssertEqual(object expected, object actual) => Compare(expected, actual, expected.GetType().Name);

    private static void Compare(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"}, got {actual ?? "null"}");
            return;
        }

        var type = expected.GetType();
        Assert.True(type == actual.GetType(), $"{path}: expected a {type.Name}, got a {actual.GetType().Name}");
        if (type.IsPrimitive || type.IsEnum || type.IsValueType || expected is string)
        {
            Assert.True(expected.Equals(actual), $"{path}: expected {expected}, got {actual}");
            return;
        }

        if (expected is IList expectedList)
        {
            var actualList = (IList)actual;
            Assert.True(expectedList.Count == actualList.Count, $"{path}: expected {expectedList.Count} items, got {actualList.Count}");
            for (var i = 0; i < expectedList.Count; i++)
            {
                Compare(expectedList[i], actualList[i], $"{path}[{i}]");
            }

            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!Skipped.Contains(property.Name) && property.GetIndexParameters().Length == 0)
            {
                Compare(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
            }
        }
    }
}
