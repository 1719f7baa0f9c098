package dev.otc.e2ee.nativeit;

import java.nio.ByteBuffer;

/** What the native integration tests' media observers look for in the frames the router handles. */
final class Bytes {
    private Bytes() {
    }

    /** Whether {@code needle} occurs between the buffer's position and limit (the buffer is not moved). */
    static boolean contains(ByteBuffer message, byte[] needle) {
        ByteBuffer b = message.duplicate();
        int limit = b.limit();
        outer:
        for (int i = b.position(); i <= limit - needle.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (b.get(i + k) != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
