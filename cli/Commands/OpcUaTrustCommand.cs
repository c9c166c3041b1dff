using System.CommandLine;
using System.Security.Cryptography;
using EdgePartition.OpcUa.Security;

namespace EdgePartition.Cli.Commands;

/// <summary>
/// `edgepart opcua trust FILE|THUMBPRINT --pki DIR`: trusts a server certificate, either a file or one the client
/// refused (found in rejected/certs by its SHA-1 thumbprint, and moved out of there). Part of the `opcua` group.
/// </summary>
internal static class OpcUaTrustCommand
{
    public static Command Create()
    {
        var what = new Argument<string>("certificate") { Description = "A certificate file (DER or PEM), or the thumbprint of a certificate in rejected/certs" };
        var pki = new Option<string>("--pki")
        {
            Description = "The OPC UA PKI folder (with own/, trusted/, issuers/, rejected/) of the device's <pki> element",
            Required = true,
        };
        var command = new Command("trust", "Trust an OPC UA server certificate: moves it from rejected/ (or copies a file) into trusted/certs") { what, pki };
        command.SetAction(result => Run(result.GetValue(pki)!, result.GetValue(what)!, Console.Out, Console.Error));
        return command;
    }

    /// <summary>Trusts the certificate; 0 on success, 1 when it cannot be found or read.</summary>
    public static int Run(string pkiFolder, string fileOrThumbprint, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var store = new PkiStore(pkiFolder);
        try
        {
            using var certificate = store.TrustFileOrThumbprint(fileOrThumbprint);
            output.WriteLine($"trusted '{certificate.Subject}' (thumbprint {certificate.Thumbprint}, valid to {certificate.NotAfter.ToUniversalTime():u}) in {store.TrustedCerts}");
            return 0;
        }
        catch (Exception failure) when (failure is FileNotFoundException or CryptographicException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"edgepart opcua trust: {failure.Message}");
            return 1;
        }
    }
}
