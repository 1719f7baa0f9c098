package dev.otc.e2ee.reference;

/**
 * The five RFC 9605 cipher suites with the parameters of docs/FORMAT.md sec. 4. Kept separate from
 * the production {@code CipherSuite} on purpose: the reference must not share a single constant with
 * the code it checks.
 */
public enum Suite {
    AES_128_CTR_HMAC_SHA256_80(0x0001, Hkdf.Hash.SHA256, 48, 12, 10, false),
    AES_128_CTR_HMAC_SHA256_64(0x0002, Hkdf.Hash.SHA256, 48, 12, 8, false),
    AES_128_CTR_HMAC_SHA256_32(0x0003, Hkdf.Hash.SHA256, 48, 12, 4, false),
    AES_128_GCM_SHA256_128(0x0004, Hkdf.Hash.SHA256, 16, 12, 16, true),
    AES_256_GCM_SHA512_128(0x0005, Hkdf.Hash.SHA512, 32, 12, 16, true);

    private final int id;
    private final Hkdf.Hash hash;
    private final int keySize;
    private final int nonceSize;
    private final int tagSize;
    private final boolean gcm;

    Suite(int id, Hkdf.Hash hash, int keySize, int nonceSize, int tagSize, boolean gcm) {
        this.id = id;
        this.hash = hash;
        this.keySize = keySize;
        this.nonceSize = nonceSize;
        this.tagSize = tagSize;
        this.gcm = gcm;
    }

    public int id() {
        return id;
    }

    public Hkdf.Hash hash() {
        return hash;
    }

    /** Nk. */
    public int keySize() {
        return keySize;
    }

    /** Nn. */
    public int nonceSize() {
        return nonceSize;
    }

    /** Nt. */
    public int tagSize() {
        return tagSize;
    }

    public boolean isGcm() {
        return gcm;
    }

    public static Suite fromId(int id) {
        for (Suite s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown cipher suite " + id);
    }
}
