package dev.otc.e2ee.session;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A minimal client written from docs/PROTOCOL.md, for what the SDK never does on purpose: sending
 * unencrypted frames into an E2EE session.
 */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  /** A decoded router message: its type and its body (after the type byte). */
  record Message(int type, ByteBuffer body) {
    int u32() {
      return body.getInt();
    }

    String str() {
      byte[] b = new byte[Short.toUnsignedInt(body.getShort())];
      body.get(b);
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  RawClient(String mediaUrl, String token) throws IOException {
    URI uri = URI.create(mediaUrl);
    socket = new Socket(uri.getHost(), uri.getPort());
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
    send(0x01, b -> {
      b.writeInt(0x4F544350);
      b.writeShort(1);
      b.writeShort(1);
      str(b, "raw-test-client");
    });
    expect(0x81);
    send(0x02, b -> str(b, token));
    expect(0x82);
  }

  interface Body {
    void write(DataOutputStream b) throws IOException;
  }

  void send(int type, Body body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream b = new DataOutputStream(bytes);
    b.writeByte(type);
    body.write(b);
    out.writeInt(bytes.size());
    bytes.writeTo(out);
    out.flush();
  }

  static void str(DataOutputStream b, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.writeShort(bytes.length);
    b.write(bytes);
  }

  Message read() throws IOException {
    int length = in.readInt();
    byte[] m = new byte[length];
    in.readFully(m);
    return new Message(m[0] & 0xFF, ByteBuffer.wrap(m, 1, length - 1).slice());
  }

  /** Reads until a message of {@code type} arrives (skipping announcements), or fails after 10 s. */
  Message expect(int type) throws IOException {
    while (true) {
      Message m = read();
      if (m.type() == type) {
        return m;
      }
      if (m.type() == 0x8E && type != 0x8E) {
        throw new IOException("router error " + m.u32());
      }
    }
  }

  /** PUBLISH a VP8 video stream; returns the router's reply (PUBLISHED or ERROR). */
  Message publish(boolean encrypted) throws IOException {
    send(0x03, b -> {
      b.writeInt(7);
      str(b, "raw");
      b.writeByte(0);
      b.writeByte(1);
      b.writeByte(1);
      b.writeByte(0);
      b.writeByte(encrypted ? 1 : 0);
    });
    while (true) {
      Message m = read();
      if (m.type() == 0x85 || m.type() == 0x8E) {
        return m;
      }
    }
  }

  /** A MEDIA_FRAME whose flags claim a plain keyframe (bit 1, encrypted, clear). */
  void sendPlainFrame(String streamId, int sequence, byte[] payload) throws IOException {
    send(0x07, b -> {
      str(b, streamId);
      b.writeByte(1);
      b.writeByte(1);
      b.writeByte(0x01);
      b.writeLong(sequence * 33_333L);
      b.writeInt(sequence);
      b.writeByte(0);
      b.writeByte(0);
      b.write(payload);
    });
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
