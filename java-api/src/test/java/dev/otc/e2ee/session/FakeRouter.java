package dev.otc.e2ee.session;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A scripted stand-in for the router (docs/PROTOCOL.md framing) for failures the real router
 * cannot be made to produce: an incompatible peer, or one that never answers.
 */
final class FakeRouter implements AutoCloseable {
  enum Behaviour { SILENT, ERROR_AFTER_HELLO }

  private final ServerSocket server;
  private final Thread thread;
  final CountDownLatch helloReceived = new CountDownLatch(1);
  private volatile Socket client;

  FakeRouter(Behaviour behaviour, int errorCode) throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    thread = new Thread(() -> serve(behaviour, errorCode), "fake-router");
    thread.setDaemon(true);
    thread.start();
  }

  String url() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  private void serve(Behaviour behaviour, int errorCode) {
    try (Socket s = server.accept()) {
      client = s;
      DataInputStream in = new DataInputStream(s.getInputStream());
      int length = in.readInt();
      byte[] message = new byte[length];
      in.readFully(message);
      if (message[0] == 0x01) {
        helloReceived.countDown();
      }
      if (behaviour == Behaviour.ERROR_AFTER_HELLO) {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream b = new DataOutputStream(body);
        b.writeByte(0x8E);
        b.writeInt(errorCode);
        writeStr(b, "incompatible (fake router)");
        writeStr(b, "");
        out.writeInt(body.size());
        body.writeTo(out);
        out.flush();
      }
      // SILENT: keep the socket open, say nothing, until closed.
      while (in.read() >= 0) {
        // drain until the client gives up
      }
    } catch (IOException e) {
      // The client closed, or the test closed us.
    }
  }

  private static void writeStr(DataOutputStream b, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.writeShort(bytes.length);
    b.write(bytes);
  }

  boolean awaitHello() throws InterruptedException {
    return helloReceived.await(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException {
    server.close();
    Socket c = client;
    if (c != null) {
      c.close();
    }
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
