package dev.otc.e2ee.reference;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** RFC 5869 HKDF on Bouncy Castle's generator, split into the Extract and Expand steps FORMAT.md names. */
public final class Hkdf {
    public enum Hash {
        SHA256, SHA512;

        Digest newDigest() {
            return this == SHA256 ? new SHA256Digest() : new SHA512Digest();
        }
    }

    private Hkdf() {
    }

    public static byte[] extract(Hash hash, byte[] salt, byte[] ikm) {
        // An empty salt is an all-zero HMAC key after padding, which is what RFC 5869 prescribes.
        return new HKDFBytesGenerator(hash.newDigest()).extractPRK(salt, ikm);
    }

    public static byte[] expand(Hash hash, byte[] prk, byte[] info, int length) {
        HKDFBytesGenerator generator = new HKDFBytesGenerator(hash.newDigest());
        generator.init(HKDFParameters.skipExtractParameters(prk, info));
        byte[] okm = new byte[length];
        generator.generateBytes(okm, 0, length);
        return okm;
    }

    public static byte[] hkdf(Hash hash, byte[] salt, byte[] ikm, byte[] info, int length) {
        byte[] prk = extract(hash, salt, ikm);
        try {
            return expand(hash, prk, info, length);
        } finally {
            java.util.Arrays.fill(prk, (byte) 0);
        }
    }
}
