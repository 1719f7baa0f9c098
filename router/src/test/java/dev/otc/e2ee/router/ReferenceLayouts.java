package dev.otc.e2ee.router;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The client-to-router message layouts of docs/PROTOCOL.md sec. 3-4, written from the spec on plain byte arrays and
 * the JDK's strict UTF-8 decoder, independently of {@link WireReader}: the oracle the decoder fuzz test compares the
 * router against. Answers only "well formed or not" and the few fields whose values the router checks.
 */
final class ReferenceLayouts {

    static final int NAME_LIMIT = 1024;
    static final int SIGNAL_DATA_LIMIT = 8192;
    static final int TOKEN_LIMIT = 16 * 1024;

    /** A message body (after the type byte) that matches its type's layout, with the fields the router checks. */
    record Parsed(long magic, int protocolVersion, int formatVersion, int media) {
    }

    private ReferenceLayouts() {
    }

    /** The parsed body, or null when it is malformed: short, bytes left over, a str over its limit or not UTF-8. */
    static Parsed parse(int type, byte[] body) {
        Cursor c = new Cursor(body);
        Parsed p = new Parsed(0, 0, 0, -1);
        switch (type) {
            case Wire.HELLO -> {
                long magic = c.u(4);
                int protocol = (int) c.u(2);
                int format = (int) c.u(2);
                c.str(NAME_LIMIT);
                p = new Parsed(magic, protocol, format, -1);
            }
            case Wire.CONNECT -> c.str(TOKEN_LIMIT);
            case Wire.PUBLISH -> {
                c.u(4);
                c.str(NAME_LIMIT);
                c.u(5);
                if (c.ok && c.pos < body.length) {
                    c.str(NAME_LIMIT);   // optional resume_stream_id (PROTOCOL.md sec. 7)
                }
            }
            case Wire.UNPUBLISH, Wire.SUBSCRIBE, Wire.UNSUBSCRIBE, Wire.KEYFRAME_REQUEST -> c.str(NAME_LIMIT);
            case Wire.SIGNAL -> {
                c.str(NAME_LIMIT);
                c.str(NAME_LIMIT);
                c.str(SIGNAL_DATA_LIMIT);
            }
            case Wire.DISCONNECT -> {
            }
            case Wire.MEDIA_FRAME -> {
                c.str(NAME_LIMIT);
                int media = (int) c.u(1);
                c.u(1 + 1 + 8 + 4 + 1 + 1);  // codec, flags, timestamp, sequence, layers
                if (c.ok && media != Wire.MEDIA_AUDIO && media != Wire.MEDIA_VIDEO) {
                    return null;  // PROTOCOL.md sec. 5: malformed
                }
                return c.ok ? new Parsed(0, 0, 0, media) : null;  // `rest` payload: any length
            }
            default -> {
                return null;
            }
        }
        return c.ok && c.pos == body.length ? p : null;
    }

    private static final class Cursor {
        final byte[] b;
        int pos;
        boolean ok = true;

        Cursor(byte[] b) {
            this.b = b;
        }

        long u(int n) {
            if (!ok || b.length - pos < n) {
                ok = false;
                return 0;
            }
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | (b[pos++] & 0xFF);
            }
            return v;
        }

        void str(int limit) {
            int len = (int) u(2);
            if (!ok || len > limit || b.length - pos < len) {
                ok = false;
                return;
            }
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b, pos, len));
            } catch (CharacterCodingException e) {
                ok = false;
                return;
            }
            pos += len;
        }
    }
}
