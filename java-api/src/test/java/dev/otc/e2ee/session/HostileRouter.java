package dev.otc.e2ee.session;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A malicious router for tests: a man-in-the-middle on loopback in front of the real router that
 * decodes every message of docs/PROTOCOL.md and lets a test-supplied {@link Rule} rewrite, drop,
 * record or multiply it, in either direction, and inject messages (well-formed or not) at any
 * time. Sessions through it are real (real tokens, real E2EE frames), so each attack is exactly
 * what a router that forwards, reads and alters every byte could do.
 *
 * <p>One {@link Link} per client connection; each direction has its own thread, so a rule sees
 * the messages of one direction in order. Writes to one socket are serialized, so injections and
 * forwarded messages never interleave inside a message.
 */
final class HostileRouter implements AutoCloseable {
  /** Direction of a message through the proxy. */
  enum Dir { TO_ROUTER, TO_CLIENT }

  /**
   * Decides what becomes of one message: return the messages to pass on in the same direction
   * (the message itself, a rewritten copy, several, or none). Messages are type byte + body,
   * without the u32 length.
   */
  interface Rule {
    List<byte[]> apply(Link link, Dir dir, byte[] message);
  }

  /** Every message passed on unchanged. */
  static final Rule TRANSPARENT = (link, dir, m) -> List.of(m);

  private final ServerSocket server;
  private final URI upstream;
  private final Thread acceptor;
  private volatile Rule rule = TRANSPARENT;
  private volatile boolean closed;
  final List<Link> links = new CopyOnWriteArrayList<>();
  private final List<RuntimeException> ruleFailures = new CopyOnWriteArrayList<>();

  HostileRouter(String routerMediaUrl) throws IOException {
    upstream = URI.create(routerMediaUrl);
    if (!"tcp".equals(upstream.getScheme())) {
      throw new IllegalArgumentException("the hostile router proxies tcp:// only, got " + routerMediaUrl);
    }
    server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "hostile-router-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The media URL clients connect to instead of the router's. */
  String url() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  /** Replaces the rule for every message from now on (all links). */
  void rule(Rule rule) {
    this.rule = rule;
  }

  /** The link whose CONNECTED named {@code connectionId}. */
  Link link(String connectionId) {
    return links.stream()
        .filter(l -> connectionId.equals(l.connectionId))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no link for connection " + connectionId));
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;  // closed
      }
      try {
        Socket router = new Socket(upstream.getHost(), upstream.getPort());
        client.setTcpNoDelay(true);
        router.setTcpNoDelay(true);
        Link link = new Link(links.size(), client, router);
        links.add(link);
        link.start();
      } catch (IOException e) {
        // The router is gone: this client sees its connection closed; the proxy keeps accepting.
        try {
          client.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
  }

  /** One proxied client connection: the client's socket and ours to the real router. */
  final class Link {
    final int index;
    private final Socket client;
    private final Socket router;
    private final DataOutputStream toClient;
    private final DataOutputStream toRouter;
    /** From CONNECTED (router to client), as the real router sent it. */
    volatile String connectionId;
    final AtomicLong messagesToClient = new AtomicLong();
    final AtomicLong messagesToRouter = new AtomicLong();
    private final AtomicLong barriers = new AtomicLong();

    Link(int index, Socket client, Socket router) throws IOException {
      this.index = index;
      this.client = client;
      this.router = router;
      this.toClient = new DataOutputStream(new BufferedOutputStream(client.getOutputStream(), 1 << 16));
      this.toRouter = new DataOutputStream(new BufferedOutputStream(router.getOutputStream(), 1 << 16));
    }

    private void start() throws IOException {
      pump(new DataInputStream(new BufferedInputStream(client.getInputStream(), 1 << 16)), Dir.TO_ROUTER);
      pump(new DataInputStream(new BufferedInputStream(router.getInputStream(), 1 << 16)), Dir.TO_CLIENT);
    }

    private void pump(DataInputStream in, Dir dir) {
      Thread t = new Thread(() -> {
        try {
          while (true) {
            int length = in.readInt();
            if (length <= 0 || length > HostileWire.MAX_MESSAGE_LENGTH) {
              throw new IOException("bad length " + length + " " + dir);
            }
            byte[] m = new byte[length];
            in.readFully(m);
            if (dir == Dir.TO_CLIENT && (m[0] & 0xFF) == HostileWire.CONNECTED) {
              connectionId = HostileWire.connectedConnectionId(m);
            }
            for (byte[] out : rule.apply(this, dir, m)) {
              send(dir, out);
            }
          }
        } catch (IOException e) {
          close();  // either side closed: end both
        } catch (RuntimeException e) {
          ruleFailures.add(e);  // a bug in a test's rule: reported by HostileRouter.close()
          close();
        }
      }, "hostile-link-" + index + "-" + dir);
      t.setDaemon(true);
      t.start();
    }

    /** Sends one message (type + body) in {@code dir}, with its length. */
    void send(Dir dir, byte[] message) throws IOException {
      DataOutputStream out = dir == Dir.TO_CLIENT ? toClient : toRouter;
      synchronized (out) {
        out.writeInt(message.length);
        out.write(message);
        out.flush();
      }
      (dir == Dir.TO_CLIENT ? messagesToClient : messagesToRouter).incrementAndGet();
    }

    void toClient(byte[] message) throws IOException {
      send(Dir.TO_CLIENT, message);
    }

    /** Raw bytes to the client, length prefix included or not: for malformed framing. */
    void rawToClient(byte[] bytes) throws IOException {
      OutputStream out = toClient;
      synchronized (out) {
        out.write(bytes);
        out.flush();
      }
    }

    /** Half-closes towards the client: it sees end of stream after what was sent. */
    void shutdownToClient() throws IOException {
      synchronized (toClient) {
        toClient.flush();
        client.shutdownOutput();
      }
    }

    /**
     * Injects a SIGNAL ("hostile", tag) after everything sent to the client so far and waits until
     * the app got it, or the connection or session ended: whatever was injected before has then
     * been processed by the client (one reader, events in order), so "nothing was delivered" can
     * be asserted without a fixed sleep.
     */
    void barrier(Recorder rec) throws IOException {
      String tag = "barrier-" + index + "-" + barriers.incrementAndGet();
      if (!closed()) {
        toClient(HostileWire.signal("", "hostile", tag));
      }
      Recorder.waitUntil("barrier " + tag, () -> rec.signals.contains("hostile=" + tag) || closed()
          || rec.sessionDisconnected.get() > 0);
    }

    boolean closed() {
      return client.isClosed();
    }

    void close() {
      try {
        client.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      try {
        router.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Link l : links) {
      l.close();
    }
    try {
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!ruleFailures.isEmpty()) {
      AssertionError failure = new AssertionError("a hostile router rule threw", ruleFailures.get(0));
      ruleFailures.stream().skip(1).forEach(failure::addSuppressed);
      throw failure;
    }
  }
}
