package dev.otc.e2ee.reference;

/** FORMAT.md sec. 3: base_key = HKDF_SHA256(salt = "otc-e2ee/1 sender", ikm = M, info = BE64(KID) || BE16(cs), L = 32). */
public final class BaseKey {
    public static final int SIZE = 32;
    private static final byte[] SALT = Bytes.ascii("otc-e2ee/1 sender");

    private BaseKey() {
    }

    public static byte[] derive(byte[] masterKey, long kid, Suite suite) {
        return Hkdf.hkdf(Hkdf.Hash.SHA256, SALT, masterKey, Bytes.concat(Bytes.be64(kid), Bytes.be16(suite.id())), SIZE);
    }
}
