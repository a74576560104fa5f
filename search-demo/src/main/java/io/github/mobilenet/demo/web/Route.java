package io.github.mobilenet.demo.web;

import java.io.IOException;

/**
 * One API operation (a method on a path). Implementations answer exactly once through the {@link
 * Exchange}, or throw: {@link ErrorResponses} answers what they throw. Thread-safe: one route
 * serves many requests at once.
 */
interface Route {
  void handle(Exchange ex) throws IOException;

  /** Whether the request body is read (bounded) before {@link #handle} runs. */
  default boolean readsBody() {
    return false;
  }

  /** Checks made before the body is read, so a bad parameter costs no upload. */
  default void precheck(Exchange ex) {}
}
