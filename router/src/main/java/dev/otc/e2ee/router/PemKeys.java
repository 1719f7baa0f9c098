package dev.otc.e2ee.router;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** RSA keys in PEM: PKCS#8 ("PRIVATE KEY") and SPKI ("PUBLIC KEY"), the formats the Vonage dashboard hands out. */
public final class PemKeys {

    private PemKeys() {
    }

    /** Accepts PKCS#8 and, for keys made by older tools, PKCS#1 ("RSA PRIVATE KEY"). */
    public static PrivateKey parsePrivateKey(String pem) {
        Object parsed = parse(pem);
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a usable RSA private key", e);
        }
        throw new IllegalArgumentException("PEM does not hold a private key (expected PKCS#8 'PRIVATE KEY')");
    }

    public static RSAPublicKey parsePublicKey(String pem) {
        Object parsed = parse(pem);
        try {
            if (parsed instanceof SubjectPublicKeyInfo info) {
                PublicKey key = new JcaPEMKeyConverter().getPublicKey(info);
                if (key instanceof RSAPublicKey rsa) {
                    return rsa;
                }
                throw new IllegalArgumentException("public key is " + key.getAlgorithm() + ", RS256 needs RSA");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a usable RSA public key", e);
        }
        throw new IllegalArgumentException("PEM does not hold a public key (expected SPKI 'PUBLIC KEY')");
    }

    public static String privateKeyPem(PrivateKey key) {
        return write("PRIVATE KEY", key.getEncoded());
    }

    public static String publicKeyPem(PublicKey key) {
        return write("PUBLIC KEY", key.getEncoded());
    }

    private static Object parse(String pem) {
        try (Reader r = new StringReader(pem); PEMParser parser = new PEMParser(r)) {
            Object o = parser.readObject();
            if (o == null) {
                throw new IllegalArgumentException("no PEM object found");
            }
            return o;
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed PEM", e);
        }
    }

    private static String write(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            java.util.Arrays.fill(der, (byte) 0);
        }
        return out.toString();
    }
}
