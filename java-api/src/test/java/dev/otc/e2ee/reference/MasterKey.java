package dev.otc.e2ee.reference;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.generators.SCrypt;

/** FORMAT.md sec. 2: M = scrypt(S, "otc-e2ee/1 master" || sid, N = 32768, r = 8, p = 1, 32). */
public final class MasterKey {
    public static final int SIZE = 32;
    private static final byte[] LABEL = Bytes.ascii("otc-e2ee/1 master");

    private MasterKey() {
    }

    public static byte[] derive(String sessionId, byte[] secretUtf8) {
        byte[] sid = sessionId.getBytes(StandardCharsets.UTF_8);
        if (sid.length < 1 || sid.length > 1024 || indexOfNul(sid) >= 0) {
            throw new IllegalArgumentException("session id must be 1..1024 UTF-8 bytes without NUL");
        }
        SecretEncoding.validate(secretUtf8);
        return SCrypt.generate(secretUtf8, Bytes.concat(LABEL, sid), 32768, 8, 1, SIZE);
    }

    private static int indexOfNul(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
