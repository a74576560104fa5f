package io.github.mobilenet.demo.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the API refuses, with the HTTP status that says why and any headers the answer needs
 * (such as {@code Allow} or {@code Retry-After}). {@link ErrorResponses} turns it into JSON.
 */
final class ApiError extends RuntimeException {
  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();

  ApiError(int status, String message) {
    super(message, null, false, false); // an answer, not a failure: no stack trace
    this.status = status;
  }

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return headers;
  }

  ApiError header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  static ApiError notFound(String message) {
    return new ApiError(404, message);
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, message);
  }
}
