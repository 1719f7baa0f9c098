package dev.otc.e2ee.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay in front of one router process's media port (the node advertises the relay's URL with
 * {@code --advertise-url}, so every client of that node, redirected or not, goes through it). It
 * counts the bytes it carries in both directions and every occurrence of {@link #PLAINTEXT}: 16
 * bytes of the filler every {@link FramePump} payload contains, which ciphertext contains with
 * probability ~2^-128 per position. A count above zero means plaintext media reached (or left) the
 * node.
 */
final class PlaintextTap implements AutoCloseable {
  static final byte[] PLAINTEXT = "abcdefghijklmnop".getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private volatile int targetPort;
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong plaintextHits = new AtomicLong();

  PlaintextTap() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "tap-" + server.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  String url() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  void target(int port) {
    this.targetPort = port;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        try {
          upstream.connect(new InetSocketAddress("127.0.0.1", targetPort), 2000);
        } catch (IOException e) {
          client.close();   // the node is gone: the client sees the connection refused/closed
          continue;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        relay(client, upstream);
        relay(upstream, client);
      } catch (IOException e) {
        return;   // closed
      }
    }
  }

  private void relay(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[64 * 1024];
      // The last PLAINTEXT.length - 1 bytes of the previous read, so a match across reads is found.
      byte[] window = new byte[buf.length + PLAINTEXT.length];
      int carried = 0;
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
          out.flush();
          bytes.addAndGet(n);
          System.arraycopy(buf, 0, window, carried, n);
          int len = carried + n;
          plaintextHits.addAndGet(count(window, len));
          carried = Math.min(PLAINTEXT.length - 1, len);
          System.arraycopy(window, len - carried, window, 0, carried);
        }
      } catch (IOException e) {
        // one side closed
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "tap-relay");
    t.setDaemon(true);
    t.start();
  }

  static int count(byte[] b, int len) {
    int hits = 0;
    outer:
    for (int i = 0; i + PLAINTEXT.length <= len; i++) {
      for (int j = 0; j < PLAINTEXT.length; j++) {
        if (b[i + j] != PLAINTEXT[j]) {
          continue outer;
        }
      }
      hits++;
    }
    return hits;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
