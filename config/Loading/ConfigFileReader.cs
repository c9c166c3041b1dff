using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace EdgePartition.Config.Loading;

/// <summary>
/// Reads one configuration file as untrusted input: size-limited, no DTD, no external entities, no schema named by
/// the file itself; validated against the embedded schemas. Every problem goes to the problem list with its position.
/// </summary>
internal static class ConfigFileReader
{
    /// <summary>Largest configuration file accepted; a real partition is far below this.</summary>
    public const long MaxFileBytes = 8L * 1024 * 1024;

    /// <summary>
    /// Reads and validates <paramref name="path"/>. Returns the document with line information, or null when the file
    /// could not be read or is not well-formed or not schema-valid (the problems are recorded).
    /// </summary>
    /// <param name="path">File to read, as it will be shown in messages.</param>
    /// <param name="referencedFrom">Where the file was named (an include), used when the file itself cannot be opened.</param>
    public static XDocument? Read(string path, SourceLocation? referencedFrom, ProblemList problems)
    {
        var at = referencedFrom ?? new SourceLocation(path, 1, 1);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16 * 1024, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            problems.Add(at, $"file not found: {path}");
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            problems.Add(at, $"file not found: {path}");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(at, $"cannot read {path}: {e.Message}");
            return null;
        }

        using (stream)
        {
            if (stream.Length > MaxFileBytes)
            {
                problems.Add(path, 1, 1, $"file is {stream.Length} bytes, more than the {MaxFileBytes} accepted for a configuration file");
                return null;
            }

            var errorsBefore = problems.Count;
            var settings = CreateSettings(path, problems);
            try
            {
                using var reader = XmlReader.Create(stream, settings);
                var document = XDocument.Load(reader, LoadOptions.SetLineInfo);
                return problems.Count == errorsBefore ? document : null;
            }
            catch (XmlException e)
            {
                // The refusal of a DTD carries no position; point at the DOCTYPE itself.
                var isDtd = e.LineNumber == 0 && e.Message.Contains("DTD", StringComparison.Ordinal);
                var (line, column) = isDtd ? PositionOfDoctype(path) : (e.LineNumber, e.LinePosition);
                var message = isDtd ? "a DTD (<!DOCTYPE ...>) is not allowed in a configuration file" : "not well-formed XML: " + StripPosition(e.Message);
                problems.Add(path, Math.Max(line, 1), Math.Max(column, 1), message);
                return null;
            }
        }
    }

    private static XmlReaderSettings CreateSettings(string path, ProblemList problems)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxFileBytes,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            ValidationType = ValidationType.Schema,
            Schemas = ConfigSchemas.Set,

            // Not ProcessSchemaLocation / ProcessInlineSchema: a file never chooses the schema it is checked against.
            ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings | XmlSchemaValidationFlags.ProcessIdentityConstraints,
        };
        var unknownElementReported = false;
        settings.ValidationEventHandler += (_, e) =>
        {
            // One undeclared element makes everything under it undeclared too; the first report says it all.
            var unknownElement = IsUnknownElement(e);
            if (unknownElement && unknownElementReported)
            {
                return;
            }

            unknownElementReported |= unknownElement;
            var line = Math.Max(e.Exception?.LineNumber ?? 0, 1);
            var column = Math.Max(e.Exception?.LinePosition ?? 0, 1);
            problems.Add(path, line, column, DescribeValidationProblem(e));
        };
        return settings;
    }

    private static string DescribeValidationProblem(ValidationEventArgs e)
    {
        // The only warning a closed schema set gives is an element it has no declaration for: usually a wrong root
        // element or namespace, which deserves a hint rather than .NET's wording.
        if (IsUnknownElement(e))
        {
            return "not a configuration file of a known kind: " + e.Message
                + $" Expected <partition xmlns=\"{ConfigSchemas.PartitionNamespace}\"> or an endpoint file (s7Devices, modbusDevices, opcUaDevices, simDevices).";
        }

        return e.Message;
    }

    private static (int Line, int Column) PositionOfDoctype(string path)
    {
        // A DOCTYPE can only precede the root element, so the file's head is enough.
        var buffer = new char[64 * 1024];
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var head = buffer.AsSpan(0, reader.ReadBlock(buffer, 0, buffer.Length));
        var index = head.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
        if (index < 0)
        {
            return (1, 1);
        }

        var before = head[..index];
        var line = before.Count('\n') + 1;
        return (line, index - (before.LastIndexOf('\n') + 1) + 1);
    }

    private static bool IsUnknownElement(ValidationEventArgs e) =>
        e.Severity == XmlSeverityType.Warning && e.Message.Contains("schema information", StringComparison.Ordinal);

    private static string StripPosition(string message)
    {
        // XmlException appends " Line n, position m." which the file:line:column prefix already says.
        var index = message.LastIndexOf(" Line ", StringComparison.Ordinal);
        return index > 0 ? message[..index] : message;
    }
}
