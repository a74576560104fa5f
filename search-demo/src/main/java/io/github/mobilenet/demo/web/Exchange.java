package io.github.mobilenet.demo.web;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request and its answer, as the route handlers see them: the method, the decoded path, the
 * query, the upload body, and ways to answer exactly once. Hides Jetty from the handlers.
 *
 * <p>Not thread-safe: one exchange is handled by one thread at a time.
 */
final class Exchange {
  private final Request request;
  private final Response response;
  private final Callback callback;
  private QueryParams query;
  private byte[] body = new byte[0];

  Exchange(Request request, Response response, Callback callback) {
    this.request = request;
    this.response = response;
    this.callback = callback;
  }

  String method() {
    return request.getMethod();
  }

  boolean isHead() {
    return "HEAD".equals(request.getMethod());
  }

  /** The decoded, normalised path ({@code /api/stats}); never null. */
  String path() {
    String p = request.getHttpURI().getCanonicalPath();
    return p == null ? "" : p;
  }

  String header(String name) {
    return request.getHeaders().get(name);
  }

  /** The query parameters, parsed on first use. */
  QueryParams query() {
    if (query == null) {
      query = QueryParams.parse(request.getHttpURI().getQuery());
    }
    return query;
  }

  /** The request body, read in full before a body-reading route runs (else empty). */
  byte[] body() {
    return body;
  }

  void body(byte[] bytes) {
    this.body = bytes;
  }

  boolean committed() {
    return response.isCommitted();
  }

  void header(String name, String value) {
    response.getHeaders().put(name, value);
  }

  /** Answers 304 when the client's {@code If-None-Match} names this entity tag. */
  boolean notModified(String etag) {
    String inm = header("If-None-Match");
    if (inm != null && inm.contains(etag)) {
      header("ETag", etag);
      answer(304, null, null, -1);
      return true;
    }
    return false;
  }

  void sendJson(int status, Object value) {
    header("Cache-Control", "no-store");
    send(status, "application/json; charset=utf-8", JsonBodies.bytes(value));
  }

  void send(int status, String type, byte[] bytes) {
    answer(status, type, isHead() ? null : ByteBuffer.wrap(bytes), bytes.length);
  }

  /** Streams a file without holding a thread while the client reads. */
  void sendFile(String type, Path file, long length) {
    response.setStatus(200);
    commonHeaders(type, length);
    if (isHead()) {
      response.write(true, null, callback);
    } else {
      Content.copy(Content.Source.from(file), response, callback);
    }
  }

  /** Gives up on a request whose answer has already started: the connection closes. */
  void abort(Throwable failure) {
    callback.failed(failure);
  }

  private void answer(int status, String type, ByteBuffer content, long length) {
    response.setStatus(status);
    commonHeaders(type, length);
    response.write(true, content, callback);
  }

  private void commonHeaders(String type, long length) {
    var h = response.getHeaders();
    if (type != null) {
      h.put(HttpHeader.CONTENT_TYPE, type);
    }
    if (length >= 0) {
      h.put(HttpHeader.CONTENT_LENGTH, length);
    }
    h.put("X-Content-Type-Options", "nosniff");
    h.put("Referrer-Policy", "no-referrer");
    h.put("X-Frame-Options", "DENY");
    // Other sites may not embed these images or read these responses.
    h.put("Cross-Origin-Resource-Policy", "same-origin");
  }
}
