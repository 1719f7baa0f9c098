package dev.otc.e2ee.router;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * Structure-aware inputs for {@link RouterDecoderFuzzTest} (its input format): mostly well-formed client messages of
 * every type with strings at and around their limits, half of them then broken (cut, extended, a byte flipped, a
 * length field lying, invalid UTF-8 spliced into a string), and some messages of arbitrary types.
 */
final class ProgramGenerator {

    private static final int[] CLIENT_TYPES = {Wire.HELLO, Wire.CONNECT, Wire.PUBLISH, Wire.UNPUBLISH, Wire.SUBSCRIBE,
        Wire.UNSUBSCRIBE, Wire.MEDIA_FRAME, Wire.KEYFRAME_REQUEST, Wire.SIGNAL, Wire.DISCONNECT};
    private static final byte[][] BAD_UTF8 = {
        {(byte) 0xC0, (byte) 0x80},                          // overlong NUL
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80},             // surrogate U+D800
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        {(byte) 0x80},                                       // stray continuation
        {(byte) 0xE2, (byte) 0x82},                          // cut sequence
        {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
    };

    private ProgramGenerator() {
    }

    static byte[] next(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(r.nextInt(3));
        int messages = 1 + r.nextInt(6);
        for (int i = 0; i < messages; i++) {
            int type = r.nextInt(8) == 0 ? r.nextInt(256) : CLIENT_TYPES[r.nextInt(CLIENT_TYPES.length)];
            byte[] body = body(type, r);
            if (r.nextBoolean()) {
                body = mutate(body, r);
            }
            if (body.length > 0xFFFF) {
                body = java.util.Arrays.copyOf(body, 0xFFFF);
            }
            out.write(type);
            out.write(body.length >>> 8);
            out.write(body.length);
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static byte[] body(int type, Random r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        switch (type) {
            case Wire.HELLO -> {
                u(b, r.nextInt(10) == 0 ? r.nextInt() : Wire.MAGIC, 4);
                u(b, r.nextInt(10) == 0 ? r.nextInt(3) : 1, 2);
                u(b, r.nextInt(10) == 0 ? r.nextInt(3) : 1, 2);
                str(b, r, ReferenceLayouts.NAME_LIMIT);
            }
            case Wire.CONNECT -> str(b, r, ReferenceLayouts.TOKEN_LIMIT);
            case Wire.PUBLISH -> {
                u(b, r.nextInt(), 4);
                str(b, r, ReferenceLayouts.NAME_LIMIT);
                for (int i = 0; i < 5; i++) {
                    b.write(r.nextInt(4) == 0 ? r.nextInt(256) : r.nextInt(2));
                }
            }
            case Wire.UNPUBLISH, Wire.SUBSCRIBE, Wire.UNSUBSCRIBE, Wire.KEYFRAME_REQUEST ->
                    str(b, r, ReferenceLayouts.NAME_LIMIT);
            case Wire.SIGNAL -> {
                str(b, r, ReferenceLayouts.NAME_LIMIT);
                str(b, r, ReferenceLayouts.NAME_LIMIT);
                str(b, r, ReferenceLayouts.SIGNAL_DATA_LIMIT);
            }
            case Wire.MEDIA_FRAME -> {
                str(b, r, ReferenceLayouts.NAME_LIMIT);
                b.write(r.nextInt(8) == 0 ? r.nextInt(256) : r.nextInt(2));
                b.write(r.nextInt(256));
                b.write(r.nextInt(4));
                u(b, r.nextLong(), 8);
                u(b, r.nextInt(), 4);
                b.write(r.nextInt(3));
                b.write(r.nextInt(3));
                byte[] payload = new byte[r.nextInt(300)];
                r.nextBytes(payload);
                b.writeBytes(payload);
            }
            case Wire.DISCONNECT -> {
            }
            default -> {
                byte[] junk = new byte[r.nextInt(64)];
                r.nextBytes(junk);
                b.writeBytes(junk);
            }
        }
        return b.toByteArray();
    }

    private static void u(ByteArrayOutputStream b, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            b.write((int) (v >>> (8 * i)));
        }
    }

    /** A str field: lengths around 0, small, and the limit (one over it included), valid UTF-8 of any width. */
    private static void str(ByteArrayOutputStream b, Random r, int limit) {
        int len = switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1, 2 -> r.nextInt(40);
            case 3 -> limit - r.nextInt(4);
            case 4 -> limit + 1;
            default -> r.nextInt(limit);
        };
        byte[] s = new byte[len];
        int i = 0;
        while (i < len) {
            int width = Math.min(len - i, r.nextInt(5) == 0 ? 1 + r.nextInt(4) : 1);
            switch (width) {
                case 1 -> s[i] = (byte) (0x20 + r.nextInt(0x5F));
                case 2 -> {
                    s[i] = (byte) 0xC3;
                    s[i + 1] = (byte) 0xA9;  // é
                }
                case 3 -> {
                    s[i] = (byte) 0xE2;
                    s[i + 1] = (byte) 0x82;
                    s[i + 2] = (byte) 0xAC;  // €
                }
                default -> {
                    s[i] = (byte) 0xF0;
                    s[i + 1] = (byte) 0x9F;
                    s[i + 2] = (byte) 0x94;
                    s[i + 3] = (byte) 0x92;  // U+1F512
                }
            }
            i += width;
        }
        u(b, len, 2);
        b.writeBytes(s);
    }

    private static byte[] mutate(byte[] body, Random r) {
        switch (r.nextInt(5)) {
            case 0 -> {
                return java.util.Arrays.copyOf(body, body.length == 0 ? 0 : r.nextInt(body.length));
            }
            case 1 -> {
                byte[] longer = java.util.Arrays.copyOf(body, body.length + 1 + r.nextInt(4));
                return longer;
            }
            case 2 -> {
                if (body.length > 0) {
                    body[r.nextInt(body.length)] ^= (byte) (1 + r.nextInt(255));
                }
                return body;
            }
            case 3 -> {
                // A length-sized field that lies: 0xFFFF or one more than what follows.
                if (body.length >= 2) {
                    int at = r.nextInt(body.length - 1);
                    int v = r.nextBoolean() ? 0xFFFF : body.length - at - 1;
                    body[at] = (byte) (v >>> 8);
                    body[at + 1] = (byte) v;
                }
                return body;
            }
            default -> {
                if (body.length == 0) {
                    return body;
                }
                byte[] bad = BAD_UTF8[r.nextInt(BAD_UTF8.length)];
                int at = r.nextInt(body.length);
                byte[] out = java.util.Arrays.copyOf(body, body.length);
                for (int i = 0; i < bad.length && at + i < out.length; i++) {
                    out[at + i] = bad[i];
                }
                return out;
            }
        }
    }
}
