package io.github.mobilenet.demo.web;

import java.util.Locale;

/**
 * DNS rebinding guard: a page on another site may resolve its own name to 127.0.0.1 and then read
 * the API from the victim's browser. A server bound to loopback answers only requests whose {@code
 * Host} is a loopback name.
 *
 * @param loopbackOnly whether the server is bound to a loopback address (else every host passes)
 */
record HostGuard(boolean loopbackOnly) {
  boolean allows(String host) {
    if (!loopbackOnly || host == null) {
      return true;
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      h = end < 0 ? h : h.substring(0, end + 1);
    } else if (h.indexOf(':') >= 0) {
      h = h.substring(0, h.indexOf(':'));
    }
    return h.equals("localhost")
        || h.equals("[::1]")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }
}
