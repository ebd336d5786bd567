package dev.tessera.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

final class Ports {
  private Ports() {}

  static int free() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  static boolean inUse(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
