package dev.otc.e2ee.reference;

import java.util.Arrays;

/** RFC 9605 sec. 4.4.2 as FORMAT.md sec. 4 writes it: sframe_key and sframe_salt from a base key. */
public final class KeySchedule {
    private static final byte[] KEY_LABEL = Bytes.ascii("SFrame 1.0 Secret key ");
    private static final byte[] SALT_LABEL = Bytes.ascii("SFrame 1.0 Secret salt ");

    private KeySchedule() {
    }

    /** The per-KID AEAD key (Nk bytes) and nonce salt (Nn bytes). */
    public record KeyAndSalt(byte[] key, byte[] salt) {
        public void wipe() {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(salt, (byte) 0);
        }

        @Override
        public String toString() {
            return "KeyAndSalt[key=<" + key.length + " bytes>, salt=<" + salt.length + " bytes>]";
        }
    }

    public static byte[] sframeSecret(Suite suite, byte[] baseKey) {
        return Hkdf.extract(suite.hash(), new byte[0], baseKey);
    }

    public static KeyAndSalt derive(Suite suite, long kid, byte[] baseKey) {
        byte[] secret = sframeSecret(suite, baseKey);
        try {
            byte[] context = Bytes.concat(Bytes.be64(kid), Bytes.be16(suite.id()));
            byte[] key = Hkdf.expand(suite.hash(), secret, Bytes.concat(KEY_LABEL, context), suite.keySize());
            byte[] salt = Hkdf.expand(suite.hash(), secret, Bytes.concat(SALT_LABEL, context), suite.nonceSize());
            return new KeyAndSalt(key, salt);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
