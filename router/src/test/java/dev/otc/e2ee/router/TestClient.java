package dev.otc.e2ee.router;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import javax.net.ssl.SSLSocketFactory;

/**
 * A small blocking client of the session protocol, written from docs/PROTOCOL.md alone. Every read is bounded by a
 * socket timeout, so a router that stays silent fails the test instead of hanging it.
 */
final class TestClient implements Closeable {

    static final int READ_TIMEOUT_MS = 5000;

    /** One message from the router: type, body (after the type byte), and the whole wire message. */
    record Message(int type, byte[] body, byte[] wire) {
        Reader reader() {
            return new Reader(ByteBuffer.wrap(body));
        }
    }

    /** Field reader for message bodies. */
    static final class Reader {
        private final ByteBuffer b;

        Reader(ByteBuffer b) {
            this.b = b;
        }

        int u8() { return b.get() & 0xFF; }
        int u16() { return b.getShort() & 0xFFFF; }
        long u32() { return b.getInt() & 0xFFFFFFFFL; }
        long u64() { return b.getLong(); }

        String str() {
            byte[] s = new byte[u16()];
            b.get(s);
            return new String(s, StandardCharsets.UTF_8);
        }

        byte[] rest() {
            byte[] r = new byte[b.remaining()];
            b.get(r);
            return r;
        }

        int remaining() { return b.remaining(); }
    }

    /** ERROR body. */
    record Error(long code, String message, String context) {
    }

    record Connected(String connectionId, String sessionId, boolean e2ee, int role, String data, long createdMs) {
    }

    record StreamCreated(String streamId, String connectionId, String name, boolean hasAudio, boolean hasVideo,
                         int videoCodec, int audioCodec, boolean e2ee) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private TestClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    static TestClient open(String mediaUrl) throws IOException {
        return open(mediaUrl, 0);
    }

    /** With a small receive buffer, a client that stops reading backs up into the router quickly. */
    static TestClient open(String mediaUrl, int receiveBufferBytes) throws IOException {
        URI u = URI.create(mediaUrl);
        Socket s = new Socket();
        if (receiveBufferBytes > 0) {
            s.setReceiveBufferSize(receiveBufferBytes);
        }
        s.connect(new InetSocketAddress(u.getHost(), u.getPort()), READ_TIMEOUT_MS);
        return new TestClient(s);
    }

    /** From a given local address (any of 127.0.0.0/8 on Linux), to test per-address limits. */
    static TestClient openFrom(String mediaUrl, String localAddress) throws IOException {
        URI u = URI.create(mediaUrl);
        Socket s = new Socket();
        s.bind(new InetSocketAddress(localAddress, 0));
        s.connect(new InetSocketAddress(u.getHost(), u.getPort()), READ_TIMEOUT_MS);
        return new TestClient(s);
    }

    static TestClient openTls(String mediaUrl, SSLSocketFactory factory) throws IOException {
        URI u = URI.create(mediaUrl);
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(u.getHost(), u.getPort()), READ_TIMEOUT_MS);
        Socket s = factory.createSocket(plain, u.getHost(), u.getPort(), true);
        return new TestClient(s);
    }

    /** HELLO + CONNECT; returns CONNECTED (throws with the ERROR text otherwise). */
    static TestClient connect(MediaRouter router, String token) throws IOException {
        TestClient c = open(router.mediaUrl());
        c.handshake(token);
        return c;
    }

    /** Opens a connection to a media URL and completes HELLO + CONNECT. */
    static TestClient connectTo(String mediaUrl, String token) throws IOException {
        TestClient c = open(mediaUrl);
        try {
            c.handshake(token);
        } catch (IOException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** HELLO, expecting HELLO_ACK, then CONNECT with the token: the answer is the caller's to read. */
    private void helloAndConnect(String token) throws IOException {
        sendHello(1, 1);
        Message ack = next();
        if (ack.type() != Wire.HELLO_ACK) {
            throw new IOException("expected HELLO_ACK, got " + describe(ack));
        }
        send(Wire.CONNECT, body -> str(body, token));
    }

    Connected handshake(String token) throws IOException {
        helloAndConnect(token);
        Message m = next();
        if (m.type() != Wire.CONNECTED) {
            throw new IOException("expected CONNECTED, got " + describe(m));
        }
        Reader r = m.reader();
        return new Connected(r.str(), r.str(), r.u8() == 1, r.u8(), r.str(), r.u64());
    }

    void sendHello(int protocolVersion, int formatVersion) throws IOException {
        send(Wire.HELLO, b -> {
            b.writeInt(Wire.MAGIC);
            b.writeShort(protocolVersion);
            b.writeShort(formatVersion);
            str(b, "router-test-client");
        });
    }

    void publish(long publishId, String name, boolean audio, boolean video, boolean encrypted) throws IOException {
        send(Wire.PUBLISH, b -> {
            b.writeInt((int) publishId);
            str(b, name);
            b.writeByte(audio ? 1 : 0);
            b.writeByte(video ? 1 : 0);
            b.writeByte(video ? 1 : 0);
            b.writeByte(audio ? 16 : 0);
            b.writeByte(encrypted ? 1 : 0);
        });
    }

    /** PUBLISH with the optional trailing {@code resume_stream_id} (PROTOCOL.md sec. 7), then PUBLISHED: the id given. */
    String publishResuming(long publishId, String name, String resumeStreamId) throws IOException {
        send(Wire.PUBLISH, b -> {
            b.writeInt((int) publishId);
            str(b, name);
            b.writeByte(1);
            b.writeByte(1);
            b.writeByte(1);
            b.writeByte(16);
            b.writeByte(1);
            str(b, resumeStreamId);
        });
        Reader r = nextOfType(Wire.PUBLISHED).reader();
        if (r.u32() != publishId) {
            throw new IOException("PUBLISHED for another publish id");
        }
        return r.str();
    }

    /** REDIRECT body (several nodes). */
    record Redirect(String url, int reason) {
    }

    /** HELLO + CONNECT, expecting REDIRECT instead of CONNECTED. */
    Redirect handshakeExpectingRedirect(String token) throws IOException {
        helloAndConnect(token);
        return redirect(next());
    }

    static Redirect redirect(Message m) throws IOException {
        if (m.type() != Wire.REDIRECT) {
            throw new IOException("expected REDIRECT, got " + describe(m));
        }
        Reader r = m.reader();
        return new Redirect(r.str(), r.u8());
    }

    /** PUBLISH, then PUBLISHED; returns the stream id. STREAM_CREATED to self is left to read. */
    String publishAndWait(long publishId, String name, boolean encrypted) throws IOException {
        publish(publishId, name, true, true, encrypted);
        Message m = nextOfType(Wire.PUBLISHED);
        Reader r = m.reader();
        if (r.u32() != publishId) {
            throw new IOException("PUBLISHED for another publish id");
        }
        return r.str();
    }

    void streamCommand(int type, String streamId) throws IOException {
        send(type, b -> str(b, streamId));
    }

    void subscribe(String streamId) throws IOException {
        streamCommand(Wire.SUBSCRIBE, streamId);
    }

    void signal(String to, String type, String data) throws IOException {
        send(Wire.SIGNAL, b -> {
            str(b, to);
            str(b, type);
            str(b, data);
        });
    }

    /** The MEDIA_FRAME message (type byte onward) for the given fields. */
    static byte[] mediaFrame(String streamId, int media, int flags, long timestampUs, long sequence, byte[] payload) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(payload.length + 64);
        DataOutputStream b = new DataOutputStream(bos);
        try {
            b.writeByte(Wire.MEDIA_FRAME);
            str(b, streamId);
            b.writeByte(media);
            b.writeByte(media == Wire.MEDIA_VIDEO ? 1 : 16);
            b.writeByte(flags);
            b.writeLong(timestampUs);
            b.writeInt((int) sequence);
            b.writeByte(0);
            b.writeByte(0);
            b.write(payload);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bos.toByteArray();
    }

    /** Sends one message given from its type byte on (the length prefix is added). */
    void sendMessage(byte[] typeAndBody) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(typeAndBody.length);
        d.write(typeAndBody);
        d.flush();
    }

    void sendMessageNoFlush(byte[] typeAndBody) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(typeAndBody.length);
        d.write(typeAndBody);
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Sends raw bytes, for malformed-input tests. */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    interface BodyWriter {
        void write(DataOutputStream body) throws IOException;
    }

    void send(int type, BodyWriter w) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bos);
        d.writeByte(type);
        w.write(d);
        sendMessage(bos.toByteArray());
    }

    static void str(DataOutputStream b, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.writeShort(bytes.length);
        b.write(bytes);
    }

    Message next() throws IOException {
        int len = in.readInt();
        byte[] wire = new byte[len];
        in.readFully(wire);
        byte[] body = new byte[len - 1];
        System.arraycopy(wire, 1, body, 0, body.length);
        return new Message(wire[0] & 0xFF, body, wire);
    }

    /** Skips messages until one of the type arrives (bounded by the read timeout). */
    Message nextOfType(int type) throws IOException {
        return nextMatching(m -> m.type() == type);
    }

    Message nextMatching(Predicate<Message> p) throws IOException {
        long deadline = System.currentTimeMillis() + READ_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            Message m = next();
            if (p.test(m)) {
                return m;
            }
        }
        throw new SocketTimeoutException("no matching message within " + READ_TIMEOUT_MS + " ms");
    }

    static Error error(Message m) {
        if (m.type() != Wire.ERROR) {
            throw new AssertionError("expected ERROR, got " + describe(m));
        }
        Reader r = m.reader();
        return new Error(r.u32(), r.str(), r.str());
    }

    /** Reads until the router has been silent for {@code idleMs}. */
    List<Message> drain(int idleMs) throws IOException {
        List<Message> all = new ArrayList<>();
        socket.setSoTimeout(idleMs);
        try {
            while (true) {
                all.add(next());
            }
        } catch (SocketTimeoutException e) {
            return all;
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MS);
        }
    }

    /** True once the router closed the socket (EOF) within the read timeout. */
    boolean closedByPeer() throws IOException {
        try {
            while (true) {
                next();
            }
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // connection reset after the router closed: closed as well
            return true;
        }
    }

    static String describe(Message m) {
        if (m.type() == Wire.ERROR) {
            Reader r = m.reader();
            return "ERROR " + r.u32() + " " + r.str();
        }
        return String.format("message 0x%02X (%d bytes)", m.type(), m.body().length);
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
