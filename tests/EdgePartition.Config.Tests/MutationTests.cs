
namespace EdgePartition.Config.Tests;

/// <summary>
/// A configuration file is untrusted input: whatever bytes it holds, the loader answers with problems and never
/// throws anything else. Seeded mutations of the demo files (byte flips, truncations, duplicated slices).
/// </summary>
public sealed class MutationTests
{
    [Theory]
    [InlineData("demo.xml", 1)]
    [InlineData("demo-s7.xml", 2)]
    public void MutatedFilesGiveProblemsNeverExceptions(string file, int seed)
    {
        var demo = RepoPaths.Combine("config", "xml", "demo");
        var original = File.ReadAllBytes(Path.Combine(demo, file));
        var random = new Random(seed);
        using var directory = new TempConfigDirectory();
        foreach (var name in new[] { "demo.xml", "demo-s7.xml" })
        {
            File.Copy(Path.Combine(demo, name), Path.Combine(directory.Path, name));
        }

        var target = Path.Combine(directory.Path, file);
        var main = Path.Combine(directory.Path, "demo.xml");
        for (var i = 0; i < 150; i++)
        {
            File.WriteAllBytes(target, Mutate(original, random));

            var problems = PartitionConfigLoader.Validate(main);

            Assert.All(problems, p => Assert.True(p.Line >= 1 && p.Column >= 1, p.ToString()));
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var position = random.Next(bytes.Count);
        switch (random.Next(4))
        {
            case 0:
                bytes[position] = (byte)random.Next(256);
                break;
            case 1:
                bytes.RemoveRange(position, bytes.Count - position);
                break;
            case 2:
                var length = Math.Min(random.Next(1, 200), bytes.Count - position);
                bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(position, length));
                break;
            default:
                // A digit somewhere becomes another digit: numbers, offsets and ports shift out of range.
                var digit = bytes.FindIndex(position, b => b is >= (byte)'0' and <= (byte)'9');
                if (digit >= 0)
                {
                    bytes[digit] = (byte)('0' + random.Next(10));
                    bytes.Insert(digit, (byte)('0' + random.Next(10)));
                }

                break;
        }

        return [.. bytes];
    }
}
