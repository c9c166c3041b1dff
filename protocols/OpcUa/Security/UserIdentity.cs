using System.Security.Cryptography.X509Certificates;

namespace EdgePartition.OpcUa.Security;

/// <summary>
/// Who the session acts as (Part 4 §7.36): anonymous, a user name with a password, or an X.509 user certificate
/// with its private key. Secrets are held as given and never appear in ToString.
/// </summary>
public abstract class UserIdentity
{
    private protected UserIdentity()
    {
    }

    public static UserIdentity Anonymous { get; } = new AnonymousIdentity();

    public static UserIdentity UserName(string user, string password) => new UserNameIdentity(user, password);

    public static UserIdentity Certificate(X509Certificate2 certificate) => new CertificateIdentity(certificate);

    internal abstract Types.UserTokenType TokenType { get; }

    private sealed class AnonymousIdentity : UserIdentity
    {
        internal override Types.UserTokenType TokenType => Types.UserTokenType.Anonymous;

        public override string ToString() => "anonymous";
    }
}

/// <summary>A user name and password; the password is only ever sent encrypted unless the channel itself encrypts.</summary>
public sealed class UserNameIdentity : UserIdentity
{
    internal UserNameIdentity(string user, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        User = user;
        Password = password;
    }

    public string User { get; }

    internal string Password { get; }

    internal override Types.UserTokenType TokenType => Types.UserTokenType.UserName;

    public override string ToString() => $"user '{User}'";
}

/// <summary>An X.509 user certificate; its private key signs the user token (userTokenSignature).</summary>
public sealed class CertificateIdentity : UserIdentity
{
    internal CertificateIdentity(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("the user certificate needs its private key", nameof(certificate));
        }

        UserCertificate = certificate;
    }

    public X509Certificate2 UserCertificate { get; }

    internal override Types.UserTokenType TokenType => Types.UserTokenType.Certificate;

    public override string ToString() => $"user certificate '{UserCertificate.Subject}'";
}
