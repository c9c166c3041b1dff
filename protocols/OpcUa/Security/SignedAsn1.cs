using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgePartition.OpcUa.Security;

/// <summary>
/// The X.509 "signed" shape shared by certificates and CRLs (RFC 5280 §4.1, §5.1): SEQUENCE { to-be-signed,
/// signatureAlgorithm, signatureValue BIT STRING }. Used to check a self-signed certificate's own signature (which
/// chain building does not do for a trust anchor) and a CRL's issuer signature.
/// </summary>
internal static class SignedAsn1
{
    private const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    private const string Sha384WithRsa = "1.2.840.113549.1.1.12";
    private const string Sha512WithRsa = "1.2.840.113549.1.1.13";
    private const string Sha1WithRsa = "1.2.840.113549.1.1.5";
    private const string RsaPss = "1.2.840.113549.1.1.10";

    /// <summary>True when <paramref name="der"/> parses and its signature verifies with <paramref name="signer"/>'s key.</summary>
    public static bool IsSignedBy(ReadOnlyMemory<byte> der, X509Certificate2 signer)
    {
        using var key = signer.GetRSAPublicKey();
        if (key is null)
        {
            return false;
        }

        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var signed = outer.ReadEncodedValue();
            var algorithm = outer.ReadSequence();
            var oid = algorithm.ReadObjectIdentifier();
            var signature = outer.ReadBitString(out _);
            var (hash, padding) = oid switch
            {
                Sha256WithRsa => (HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                Sha384WithRsa => (HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
                Sha512WithRsa => (HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
                Sha1WithRsa => (HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1),
                RsaPss => (HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
                _ => (default(HashAlgorithmName), null),
            };
            return padding is not null && key.VerifyData(signed.Span, signature, hash, padding);
        }
        catch (AsnContentException)
        {
            return false;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>
    /// A CRL's issuer name and revoked serial numbers (RFC 5280 §5.1.2). Throws <see cref="AsnContentException"/>
    /// when it is not a CRL.
    /// </summary>
    public static (X500DistinguishedName Issuer, DateTimeOffset? NextUpdate, HashSet<BigInteger> Revoked) ReadCrl(ReadOnlyMemory<byte> der)
    {
        var tbs = new AsnReader(der, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger();
        }

        tbs.ReadSequence();
        var issuer = new X500DistinguishedName(tbs.ReadEncodedValue().Span);
        ReadTime(tbs);
        DateTimeOffset? next = null;
        if (tbs.HasData && IsTime(tbs.PeekTag()))
        {
            next = ReadTime(tbs);
        }

        var revoked = new HashSet<BigInteger>();
        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var entries = tbs.ReadSequence();
            while (entries.HasData)
            {
                var entry = entries.ReadSequence();
                revoked.Add(entry.ReadInteger());
            }
        }

        return (issuer, next, revoked);
    }

    private static bool IsTime(Asn1Tag tag) => tag.HasSameClassAndValue(Asn1Tag.UtcTime) || tag.HasSameClassAndValue(Asn1Tag.GeneralizedTime);

    private static DateTimeOffset ReadTime(AsnReader reader) =>
        reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? reader.ReadUtcTime() : reader.ReadGeneralizedTime();
}
