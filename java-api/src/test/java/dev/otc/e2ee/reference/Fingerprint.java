package dev.otc.e2ee.reference;

/** FORMAT.md sec. 3: F = BE16 of HKDF_SHA256(salt = "otc-e2ee/1 fingerprint", ikm = M, info = "", L = 2). */
public final class Fingerprint {
    private static final byte[] SALT = Bytes.ascii("otc-e2ee/1 fingerprint");

    private Fingerprint() {
    }

    /** The 16-bit fingerprint as 0..65535. */
    public static int of(byte[] masterKey) {
        byte[] f = Hkdf.hkdf(Hkdf.Hash.SHA256, SALT, masterKey, new byte[0], 2);
        return ((f[0] & 0xff) << 8) | (f[1] & 0xff);
    }
}
