package dev.otc.e2ee.session;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decoders and encoders of the few docs/PROTOCOL.md messages the {@link HostileRouter} rewrites.
 * A message here is type byte + body, without the u32 length. Written from the spec, independent
 * of both the router's and the client's codecs, so a shared misreading cannot hide a bug.
 */
final class HostileWire {
  static final int MAX_MESSAGE_LENGTH = 4 * 1024 * 1024;

  static final int PUBLISH = 0x03;
  static final int SUBSCRIBE = 0x05;
  static final int MEDIA_FRAME = 0x07;
  static final int CONNECTED = 0x82;
  static final int PUBLISHED = 0x85;
  static final int STREAM_CREATED = 0x86;
  static final int SUBSCRIBED = 0x88;
  static final int SIGNAL = 0x09;

  static final int FLAG_KEYFRAME = 1;
  static final int FLAG_ENCRYPTED = 2;

  private HostileWire() {}

  static int type(byte[] m) {
    return m[0] & 0xFF;
  }

  /** Skips one {@code str} at the buffer's position. */
  private static void skipStr(ByteBuffer b) {
    int n = Short.toUnsignedInt(b.getShort());
    b.position(b.position() + n);
  }

  private static String str(ByteBuffer b) {
    byte[] s = new byte[Short.toUnsignedInt(b.getShort())];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  private static ByteBuffer body(byte[] m) {
    return ByteBuffer.wrap(m, 1, m.length - 1);
  }

  static String connectedConnectionId(byte[] m) {
    return str(body(m));
  }

  /** Offset of CONNECTED's {@code e2ee} byte. */
  private static int connectedE2eeOffset(byte[] m) {
    ByteBuffer b = body(m);
    skipStr(b);
    skipStr(b);
    return b.position();
  }

  /** A copy of CONNECTED claiming {@code e2ee}. */
  static byte[] connectedWithE2ee(byte[] m, boolean e2ee) {
    byte[] out = m.clone();
    out[connectedE2eeOffset(out)] = (byte) (e2ee ? 1 : 0);
    return out;
  }

  /** STREAM_CREATED's fields a test needs. */
  record StreamCreated(String streamId, String connectionId, String name, int e2eeOffset) {
    static StreamCreated of(byte[] m) {
      ByteBuffer b = body(m);
      String id = str(b);
      String conn = str(b);
      String name = str(b);
      b.position(b.position() + 4);
      return new StreamCreated(id, conn, name, b.position());
    }
  }

  /** A copy of STREAM_CREATED claiming {@code e2ee}. */
  static byte[] streamCreatedWithE2ee(byte[] m, boolean e2ee) {
    byte[] out = m.clone();
    out[StreamCreated.of(m).e2eeOffset()] = (byte) (e2ee ? 1 : 0);
    return out;
  }

  /** A copy of the client's PUBLISH with its {@code encrypted} byte (the last one) set. */
  static byte[] publishWithEncrypted(byte[] m, boolean encrypted) {
    byte[] out = m.clone();
    out[out.length - 1] = (byte) (encrypted ? 1 : 0);
    return out;
  }

  static boolean publishEncrypted(byte[] m) {
    return m[m.length - 1] != 0;
  }

  /** SUBSCRIBE (client) or SUBSCRIBED (router): both are a single {@code str stream_id}. */
  static String streamIdOf(byte[] m) {
    return str(body(m));
  }

  /** A MEDIA_FRAME (sec. 4), decoded; {@link #encode} writes it back byte for byte. */
  record Frame(String streamId, int media, int codec, int flags, long timestampUs, int sequence, int spatial,
      int temporal, byte[] payload) {

    static Frame of(byte[] m) {
      ByteBuffer b = body(m);
      String id = str(b);
      int media = b.get() & 0xFF;
      int codec = b.get() & 0xFF;
      int flags = b.get() & 0xFF;
      long ts = b.getLong();
      int seq = b.getInt();
      int spatial = b.get() & 0xFF;
      int temporal = b.get() & 0xFF;
      byte[] payload = new byte[b.remaining()];
      b.get(payload);
      return new Frame(id, media, codec, flags, ts, seq, spatial, temporal, payload);
    }

    boolean encrypted() {
      return (flags & FLAG_ENCRYPTED) != 0;
    }

    Frame withStreamId(String id) {
      return new Frame(id, media, codec, flags, timestampUs, sequence, spatial, temporal, payload);
    }

    Frame withCodec(int c) {
      return new Frame(streamId, media, c, flags, timestampUs, sequence, spatial, temporal, payload);
    }

    Frame withTimestamp(long ts) {
      return new Frame(streamId, media, codec, flags, ts, sequence, spatial, temporal, payload);
    }

    Frame withFlags(int f) {
      return new Frame(streamId, media, codec, f, timestampUs, sequence, spatial, temporal, payload);
    }

    Frame withPayload(byte[] p) {
      return new Frame(streamId, media, codec, flags, timestampUs, sequence, spatial, temporal, p);
    }

    byte[] encode() {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 64);
        DataOutputStream d = new DataOutputStream(bytes);
        d.writeByte(MEDIA_FRAME);
        byte[] id = streamId.getBytes(StandardCharsets.UTF_8);
        d.writeShort(id.length);
        d.write(id);
        d.writeByte(media);
        d.writeByte(codec);
        d.writeByte(flags);
        d.writeLong(timestampUs);
        d.writeInt(sequence);
        d.writeByte(spatial);
        d.writeByte(temporal);
        d.write(payload);
        return bytes.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Where the KID sits in an SFrame header (RFC 9605 sec. 4.3: config byte |X|K|Y|C|; with X set
   * the KID takes K+1 bytes after it, else it is K itself): {offset, length}; length 0 when the
   * KID is inside the config byte.
   */
  static int[] kidField(byte[] sframe) {
    int config = sframe[0] & 0xFF;
    boolean extended = (config & 0x80) != 0;
    int k = (config >> 4) & 0x07;
    return extended ? new int[] {1, k + 1} : new int[] {1, 0};
  }

  /** A router-to-client SIGNAL (0x09): {@code str from, str type, str data}. */
  static byte[] signal(String from, String type, String data) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(bytes);
      d.writeByte(SIGNAL);
      for (String s : new String[] {from, type, data}) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeShort(b.length);
        d.write(b);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An unencrypted video MEDIA_FRAME (flags: keyframe, encrypted bit clear) for {@code streamId}. */
  static Frame plainVideo(String streamId, int sequence, byte[] payload) {
    return new Frame(streamId, 1, 1, FLAG_KEYFRAME, sequence * 33_333L, sequence, 0, 0, payload);
  }

  static boolean containsBytes(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
