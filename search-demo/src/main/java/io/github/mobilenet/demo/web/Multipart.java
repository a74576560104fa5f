package io.github.mobilenet.demo.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Just enough multipart/form-data to take the file out of an HTML form or {@code curl -F} upload.
 */
final class Multipart {
  private Multipart() {}

  /** The body of the first part that carries a file name (else the first part). */
  static byte[] firstFile(byte[] body, String contentType) {
    String boundary = boundary(contentType);
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int at = indexOf(body, delimiter, 0);
    byte[] first = null;
    while (at >= 0) {
      int lineEnd = at + delimiter.length;
      if (lineEnd + 1 < body.length && body[lineEnd] == '-' && body[lineEnd + 1] == '-') {
        break; // closing delimiter
      }
      int headersStart = indexOf(body, new byte[] {'\r', '\n'}, lineEnd);
      int headersEnd =
          headersStart < 0 ? -1 : indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, headersStart);
      if (headersEnd < 0) {
        break;
      }
      int end = indexOf(body, next, headersEnd + 4);
      if (end < 0) {
        break;
      }
      String headers =
          new String(body, headersStart, headersEnd - headersStart, StandardCharsets.ISO_8859_1)
              .toLowerCase(Locale.ROOT);
      byte[] part = Arrays.copyOfRange(body, headersEnd + 4, end);
      if (headers.contains("filename=")) {
        return part;
      }
      if (first == null) {
        first = part;
      }
      at = end + 2;
    }
    if (first == null) {
      throw ApiError.badRequest("upload: multipart/form-data body has no complete part");
    }
    return first;
  }

  private static String boundary(String contentType) {
    for (String p : contentType.split(";")) {
      String t = p.trim();
      if (t.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String b = t.substring("boundary=".length());
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        if (!b.isEmpty() && b.length() <= 200) {
          return b;
        }
      }
    }
    throw ApiError.badRequest("upload: multipart/form-data without a boundary");
  }

  static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
