package io.goflow.exporter.http;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The TLS side of a {@link WebConfig}: the certificate chain and key, the client certificate
 * policy and the protocol versions and cipher suites, as one {@link SSLContext} that hands out
 * a server {@link SSLEngine} per connection. Immutable; a reload builds a new one.
 */
public final class ServerTls
{
    private final SSLContext context;
    private final SSLParameters parameters;
    private final List<String> allowedSans;
    private final X509Certificate certificate;
    private final WebConfig.ClientAuth clientAuth;

    private ServerTls(
        final SSLContext context, final SSLParameters parameters, final List<String> allowedSans,
        final X509Certificate certificate, final WebConfig.ClientAuth clientAuth)
    {
        this.clientAuth = clientAuth;
        this.context = context;
        this.parameters = parameters;
        this.allowedSans = allowedSans;
        this.certificate = certificate;
    }

    /**
     * Reads the files {@code tls} names and checks that the key belongs to the first certificate.
     *
     * @throws IOException naming the file and what is wrong with it.
     */
    public static ServerTls load(final WebConfig.Tls tls) throws IOException
    {
        final List<X509Certificate> chain = certificates(tls.certFile());
        final PrivateKey key = privateKey(tls.keyFile());
        try
        {
            checkPair(key, chain.get(0));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException("key_file " + tls.keyFile() + " does not belong to the certificate in " +
                tls.certFile() + ": " + ex.getMessage(), ex);
        }
        try
        {
            final KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", key, new char[0], chain.toArray(new Certificate[0]));
            final KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            final TrustManager[] trust;
            if (tls.clientAuth().verifies())
            {
                final KeyStore cas = KeyStore.getInstance("PKCS12");
                cas.load(null, null);
                int i = 0;
                for (final X509Certificate ca : certificates(tls.clientCaFile()))
                {
                    cas.setCertificateEntry("ca" + i++, ca);
                }
                final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(cas);
                trust = tmf.getTrustManagers();
            }
            else
            {
                trust = new TrustManager[]{new AnyClientCertificate()};
            }
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), trust, new SecureRandom());
            return new ServerTls(context, parameters(context, tls), tls.clientAllowedSans(), chain.get(0),
                tls.clientAuth());
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException("TLS setup from " + tls.certFile() + " failed: " + ex.getMessage(), ex);
        }
    }

    /** @return a server engine for one connection. */
    SSLEngine newEngine()
    {
        final SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** @return "" or the client certificate policy, e.g. " (client certificates: RequireAndVerifyClientCert)". */
    String clientPolicy()
    {
        return clientAuth == WebConfig.ClientAuth.NoClientCert ? "" : " (client certificates: " + clientAuth + ")";
    }

    /** @return the certificate presented to clients. */
    public X509Certificate certificate()
    {
        return certificate;
    }

    /**
     * Applies {@code client_allowed_sans} once the handshake is done: with a list, the client's
     * certificate must carry one of its entries as a DNS, IP, e-mail or URI subject alternative name.
     */
    void checkPeer(final SSLSession session) throws SSLPeerUnverifiedException
    {
        if (allowedSans.isEmpty())
        {
            return;
        }
        final Certificate[] peer = session.getPeerCertificates();
        try
        {
            final Collection<List<?>> sans = ((X509Certificate)peer[0]).getSubjectAlternativeNames();
            if (sans != null)
            {
                for (final List<?> san : sans)
                {
                    if (allowedSans.contains(String.valueOf(san.get(1))))
                    {
                        return;
                    }
                }
            }
        }
        catch (final java.security.cert.CertificateParsingException ex)
        {
            throw new SSLPeerUnverifiedException("client certificate SANs unreadable: " + ex.getMessage());
        }
        throw new SSLPeerUnverifiedException("client certificate has none of client_allowed_sans");
    }

    private static SSLParameters parameters(final SSLContext context, final WebConfig.Tls tls) throws IOException
    {
        final SSLParameters p = context.getDefaultSSLParameters();
        final List<String> all = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
        p.setProtocols(all.subList(all.indexOf(tls.minVersion()), all.indexOf(tls.maxVersion()) + 1)
            .toArray(new String[0]));
        if (!tls.cipherSuites().isEmpty())
        {
            final Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
            final Set<String> suites = new LinkedHashSet<>();
            for (final String s : tls.cipherSuites())
            {
                if (!supported.contains(s))
                {
                    throw new IOException("tls_server_config.cipher_suites: " + s + " is not a cipher suite this JVM has");
                }
                suites.add(s);
            }
            // as in Go, the list governs TLS 1.2 and older; TLS 1.3's suites stay enabled
            Arrays.stream(p.getCipherSuites()).filter(s -> s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_"))
                .forEach(suites::add);
            p.setCipherSuites(suites.toArray(new String[0]));
        }
        p.setUseCipherSuitesOrder(tls.preferServerCipherSuites());
        switch (tls.clientAuth())
        {
            case RequestClientCert, VerifyClientCertIfGiven -> p.setWantClientAuth(true);
            case RequireAnyClientCert, RequireAndVerifyClientCert -> p.setNeedClientAuth(true);
            default -> p.setNeedClientAuth(false);
        }
        return p;
    }

    private static List<X509Certificate> certificates(final Path file) throws IOException
    {
        WebConfig.requireReadable(file);
        try (InputStream in = Files.newInputStream(file))
        {
            final List<X509Certificate> out = new ArrayList<>();
            for (final Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in))
            {
                out.add((X509Certificate)c);
            }
            if (out.isEmpty())
            {
                throw new IOException(file + ": no PEM certificate in it");
            }
            return out;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException(file + ": not a PEM certificate: " + ex.getMessage(), ex);
        }
    }

    private static PrivateKey privateKey(final Path file) throws IOException
    {
        WebConfig.requireReadable(file);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r))
        {
            final JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = pem.readObject(); o != null; o = pem.readObject())
            {
                if (o instanceof PEMKeyPair pair)
                {
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info)
                {
                    return converter.getPrivateKey(info);
                }
            }
            throw new IOException(file + ": no unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1) in it");
        }
        catch (final PEMException ex)
        {
            throw new IOException(file + ": unreadable PEM key: " + ex.getMessage(), ex);
        }
    }

    /** Signs with {@code key} and verifies with the certificate's public key, as Go's X509KeyPair checks the pair. */
    private static void checkPair(final PrivateKey key, final X509Certificate cert) throws GeneralSecurityException
    {
        final String algorithm = switch (key.getAlgorithm())
        {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new GeneralSecurityException("unsupported key type " + key.getAlgorithm());
        };
        final byte[] probe = "goflow-exporter key check".getBytes(StandardCharsets.US_ASCII);
        final Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        final byte[] signature = signer.sign();
        final Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(cert.getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature))
        {
            throw new GeneralSecurityException("signature made with the key does not verify with the certificate");
        }
    }

    /**
     * {@code RequestClientCert} and {@code RequireAnyClientCert}: a client certificate is asked
     * for and taken unverified, as Go does (the toolkit warns these are insecure).
     */
    private static final class AnyClientCertificate implements X509TrustManager
    {
        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType)
        {
            // accepted unverified, by the configured policy
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType)
            throws java.security.cert.CertificateException
        {
            throw new java.security.cert.CertificateException("server side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers()
        {
            return new X509Certificate[0];
        }
    }
}
