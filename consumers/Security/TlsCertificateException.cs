namespace EdgePartition.Consumers.Security;

/// <summary>What is wrong with a configured HTTPS certificate or key.</summary>
public enum TlsCertificateProblem
{
    /// <summary>The certificate or key file does not exist.</summary>
    FileMissing,

    /// <summary>The certificate file holds no readable certificate.</summary>
    NoCertificate,

    /// <summary>No private key: not in the key file, not in the certificate file, not in the .pfx.</summary>
    NoPrivateKey,

    /// <summary>The key is encrypted and no password is configured.</summary>
    PasswordMissing,

    /// <summary>The PKCS#12 file or the encrypted key cannot be decrypted (wrong password) or parsed.</summary>
    Unreadable,

    /// <summary>The key belongs to another certificate, or is of another algorithm.</summary>
    KeyMismatch,

    /// <summary>A key file is named for a PKCS#12 certificate, which holds its own key.</summary>
    KeyWithPkcs12,

    /// <summary>A key in a format we do not read (legacy OpenSSL encryption) or of an algorithm other than RSA/ECDSA.</summary>
    Unsupported,
}

/// <summary>
/// The configured HTTPS certificate or key cannot be used. The message names the file and says what to change, so
/// the consumers process can print it as it is and stop.
/// </summary>
public sealed class TlsCertificateException : Exception
{
    public TlsCertificateException(TlsCertificateProblem problem, string filePath, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Problem = problem;
        FilePath = filePath;
    }

    public TlsCertificateProblem Problem { get; }

    /// <summary>The certificate or key file at fault.</summary>
    public string FilePath { get; }
}
