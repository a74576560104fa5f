package io.github.mobilenet.demo.web;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sends each request to its {@link Route}: checks the {@code Host}, finds the endpoint by path
 * (exact, or by prefix for {@code /api/thumb/} and {@code /api/image/}), checks the method, reads
 * an upload's body without holding a thread, then runs the route on the request pool. Anything a
 * route throws is answered by {@link ErrorResponses}. Thread-safe.
 */
final class Router extends Handler.Abstract {
  /** The routes of one path, by method; HEAD goes to the GET route, which sends no body. */
  record Endpoint(Map<String, Route> byMethod) {
    String allowed() {
      return String.join(", ", byMethod.keySet());
    }
  }

  private final Map<String, Endpoint> exact = new LinkedHashMap<>();
  private final Map<String, Endpoint> prefixes = new LinkedHashMap<>();
  private final HostGuard hosts;
  private final ErrorResponses errors;
  private final long maxBody;
  private Executor executor;

  Router(HostGuard hosts, ErrorResponses errors, long maxBody) {
    this.hosts = hosts;
    this.errors = errors;
    this.maxBody = maxBody;
  }

  /** Routes {@code path} exactly; {@code methods} pairs a method name with its route. */
  Router at(String path, Object... methods) {
    exact.put(path, endpoint(methods));
    return this;
  }

  /** Routes every path under {@code prefix}. */
  Router under(String prefix, Object... methods) {
    prefixes.put(prefix, endpoint(methods));
    return this;
  }

  private static Endpoint endpoint(Object... methods) {
    Map<String, Route> m = new LinkedHashMap<>();
    for (int i = 0; i < methods.length; i += 2) {
      m.put((String) methods[i], (Route) methods[i + 1]);
    }
    return new Endpoint(m);
  }

  @Override
  protected void doStart() throws Exception {
    executor = getServer().getThreadPool();
    super.doStart();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange ex = new Exchange(request, response, callback);
    try {
      if (!hosts.allows(request.getHeaders().get(HttpHeader.HOST))) {
        throw new ApiError(403, "this server answers only requests addressed to a loopback host");
      }
      Route route = route(ex);
      route.precheck(ex);
      if (route.readsBody()) {
        BodyReader.read(
            request,
            maxBody,
            body -> dispatch(ex, () -> run(ex, route, body)),
            failure -> dispatch(ex, () -> bodyFailed(ex, failure)));
      } else {
        run(ex, route, null);
      }
    } catch (Throwable t) {
      errors.send(ex, t);
    }
    return true;
  }

  private Route route(Exchange ex) {
    String path = ex.path();
    Endpoint e = exact.get(path);
    if (e == null) {
      for (Map.Entry<String, Endpoint> p : prefixes.entrySet()) {
        if (path.startsWith(p.getKey())) {
          e = p.getValue();
          break;
        }
      }
    }
    if (e == null) {
      throw ApiError.notFound(
          path.startsWith("/api/") ? "no such API endpoint: " + path : "not found");
    }
    String method = ex.method();
    Route r = e.byMethod().get(method);
    if (r == null) {
      throw new ApiError(405, method + " is not allowed here (allowed: " + e.allowed() + ")")
          .header("Allow", e.allowed());
    }
    return r;
  }

  /** Runs on the request pool; a full queue is a 503, not a request left hanging. */
  private void dispatch(Exchange ex, Runnable work) {
    try {
      executor.execute(work);
    } catch (RejectedExecutionException e) {
      errors.send(
          ex,
          new ApiError(503, "the server is overloaded; try again in a few seconds")
              .header("Retry-After", String.valueOf(DecodeGate.RETRY_AFTER_SECONDS)));
    }
  }

  private void run(Exchange ex, Route route, byte[] body) {
    try {
      if (body != null) {
        ex.body(body);
      }
      route.handle(ex);
    } catch (Throwable t) {
      errors.send(ex, t);
    }
  }

  private void bodyFailed(Exchange ex, Throwable failure) {
    if (failure instanceof ApiError) {
      errors.send(ex, failure);
    } else if (failure instanceof TimeoutException) {
      errors.send(ex, new ApiError(408, "upload: the client stopped sending the request body"));
    } else if (failure instanceof EofException || failure instanceof IOException) {
      ex.abort(failure); // the client went away; nothing to answer
    } else {
      errors.send(ex, failure);
    }
  }
}
