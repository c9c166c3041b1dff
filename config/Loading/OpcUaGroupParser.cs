using System.Xml.Linq;

namespace EdgePartition.Config.Loading;

/// <summary>
/// The OPC UA subscription settings of a poll group (<c>mode</c>, <c>samplingMs</c>, <c>queueSize</c>,
/// <c>discardOldest</c>) and of its tags (<c>serverDeadband</c>, <c>serverDeadbandType</c>), with the checks the schema
/// cannot make, each reported at its attribute.
/// </summary>
internal static class OpcUaGroupParser
{
    private static readonly string[] SubscriptionOnly = ["samplingMs", "queueSize", "discardOldest"];

    public static OpcUaGroupConfig Parse(XElement group, XmlValues values, ProblemList problems)
    {
        var mode = XmlValues.Enum(group, "mode", OpcUaGroupMode.Subscription);
        if (mode == OpcUaGroupMode.Poll)
        {
            foreach (var attribute in SubscriptionOnly)
            {
                if (group.Attribute(attribute) is not null)
                {
                    problems.Add(values.At(group, attribute), $"{attribute} applies to subscription groups only; remove it or drop mode=\"poll\"");
                }
            }

            foreach (var tag in group.Elements(group.Name.Namespace + "tag"))
            {
                if (tag.Attribute("serverDeadband") is not null)
                {
                    problems.Add(values.At(tag, "serverDeadband"), "a server deadband applies to subscription groups only (this group has mode=\"poll\"); use the tag's deadband instead");
                }
            }
        }

        var sampling = XmlValues.Text(group, "samplingMs") is null ? (TimeSpan?)null : XmlValues.Milliseconds(group, "samplingMs", TimeSpan.Zero);
        var cycle = XmlValues.Milliseconds(group, "cycleMs", TimeSpan.FromSeconds(1));
        if (sampling > cycle)
        {
            problems.Add(values.At(group, "samplingMs"), $"samplingMs {sampling.Value.TotalMilliseconds:0} is longer than cycleMs {cycle.TotalMilliseconds:0}: changes would be published late; sample at most every cycle");
        }

        return new OpcUaGroupConfig
        {
            Mode = mode,
            SamplingInterval = sampling,
            QueueSize = (uint)XmlValues.Int(group, "queueSize", 1),
            DiscardOldest = XmlValues.Bool(group, "discardOldest", true),
        };
    }

    /// <summary>The tag's server deadband, or null; a deadband on a type that has no magnitude is a problem.</summary>
    public static OpcUaServerDeadband? ParseDeadband(XElement tag, string type, XmlValues values, ProblemList problems)
    {
        if (tag.Attribute("serverDeadband") is null)
        {
            if (tag.Attribute("serverDeadbandType") is not null)
            {
                problems.Add(values.At(tag, "serverDeadbandType"), "serverDeadbandType needs serverDeadband (the amount)");
            }

            return null;
        }

        var value = XmlValues.Double(tag, "serverDeadband", 0);
        var kind = XmlValues.Enum(tag, "serverDeadbandType", OpcUaDeadbandType.Absolute);
        if (!IsNumeric(type))
        {
            problems.Add(values.At(tag, "serverDeadband"), $"a server deadband needs a numeric type, not {type}");
        }
        else if (double.IsNaN(value) || value < 0 || (kind == OpcUaDeadbandType.Percent && value > 100))
        {
            problems.Add(values.At(tag, "serverDeadband"), kind == OpcUaDeadbandType.Percent
                ? $"a percent deadband is 0 to 100 (of the node's EURange), not {value}"
                : $"serverDeadband must be 0 or more, not {value}");
        }

        return new OpcUaServerDeadband(kind, value);
    }

    private static bool IsNumeric(string type) => type is "SByte" or "Byte" or "Int16" or "UInt16" or "Int32" or "UInt32"
        or "Int64" or "UInt64" or "Float" or "Double";
}
