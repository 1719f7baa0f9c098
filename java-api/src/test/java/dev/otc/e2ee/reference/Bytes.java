package dev.otc.e2ee.reference;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The byte-string notation of FORMAT.md: BE64, BE16, "..." and ||. */
final class Bytes {
    private Bytes() {
    }

    static byte[] be64(long value) {
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) value;
            value >>>= 8;
        }
        return out;
    }

    static byte[] be16(int value) {
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }

    static byte[] ascii(String label) {
        return label.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
