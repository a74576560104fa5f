package io.github.mobilenet.demo.web;

import io.github.mobilenet.core.image.ImageDecodeException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The one place that turns failures into answers: every error, whether a route refused the request
 * or Jetty did (a malformed request line, an oversized header), is {@code {"error": ..., "status":
 * N}}. Client mistakes are 4xx with a message naming the input; only the server's own failures are
 * 500, and those are logged. Thread-safe.
 */
final class ErrorResponses {
  private final PrintStream log;

  ErrorResponses(PrintStream log) {
    this.log = log;
  }

  /**
   * Answers {@code failure} as a JSON error (or, when the answer has begun, drops the connection).
   */
  void send(Exchange ex, Throwable failure) {
    int status = statusOf(failure);
    if (status == 500) {
      log.println("mobilenet serve: " + ex.method() + " " + ex.path() + " failed: " + failure);
    }
    if (ex.committed()) {
      ex.abort(failure);
      return;
    }
    if (failure instanceof ApiError e) {
      e.headers().forEach(ex::header);
    }
    if (status == 405 || status == 413) {
      // Unread request bodies are drained only up to a limit; closing is cleaner than reading 1 GB.
      ex.header("Connection", "close");
    }
    String message =
        status == 500 ? "internal error: " + failure.getClass().getSimpleName() : message(failure);
    ex.sendJson(status, body(status, message));
  }

  static int statusOf(Throwable failure) {
    return switch (failure) {
      case ApiError e -> e.status();
      case SearchBackend.UnknownImageException e -> 404;
      case ImageDecodeException e ->
          switch (e.reason()) {
            case TOO_LARGE -> 413;
            case IO_ERROR -> 500;
            default -> 400;
          };
      case IllegalArgumentException e -> 400;
      default -> 500;
    };
  }

  static Map<String, Object> body(int status, String message) {
    return JsonBodies.obj("error", message, "status", status);
  }

  private static String message(Throwable failure) {
    String m = failure.getMessage();
    return m == null || m.isBlank() ? failure.getClass().getSimpleName() : m;
  }

  /**
   * Jetty's own refusals (bad request lines, headers too large, idle timeouts) in the same form.
   */
  static final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON_TYPE =
        new HttpField(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");

    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int code,
        String message,
        Throwable cause,
        Callback callback) {
      response.getHeaders().put(JSON_TYPE);
      response.getHeaders().put("X-Content-Type-Options", "nosniff");
      response.write(true, ByteBuffer.wrap(json(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(JSON_TYPE);
      return ByteBuffer.wrap(json(status, reason));
    }

    private static byte[] json(int code, String message) {
      String m = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
      return JsonBodies.bytes(body(code, m));
    }
  }
}
