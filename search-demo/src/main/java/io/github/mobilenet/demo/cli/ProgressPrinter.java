package io.github.mobilenet.demo.cli;

import io.github.mobilenet.embeddings.job.IndexingListener;
import io.github.mobilenet.embeddings.job.IndexingProgress;
import io.github.mobilenet.embeddings.job.IndexingSummary;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of an indexing job on stderr: on a terminal one line redrawn in place (done/total,
 * img/s, ETA); otherwise (pipes, logs, CI) a plain line every few seconds and one per commit.
 */
final class ProgressPrinter implements IndexingListener {
  enum Mode {
    TTY,
    PLAIN,
    NONE
  }

  private final PrintStream err;
  private final Mode mode;
  private final long plainEveryNanos;
  private long lastPrint;
  private boolean lineOpen;

  /**
   * The open terminal line is the augmentation line (redrawn in place), not a file-progress line.
   */
  private boolean augmentLine;

  ProgressPrinter(PrintStream err, Mode mode, double plainEverySeconds) {
    this.err = err;
    this.mode = mode;
    this.plainEveryNanos = (long) (plainEverySeconds * 1e9);
  }

  /**
   * auto: a redrawn line when stderr is probably an interactive terminal and CI is not set, else
   * plain lines.
   */
  static Mode parse(String s) {
    return switch (s) {
      case "auto" -> interactive() ? Mode.TTY : Mode.PLAIN;
      case "tty", "line" -> Mode.TTY;
      case "plain" -> Mode.PLAIN;
      case "none" -> Mode.NONE;
      default ->
          throw new IllegalArgumentException("expected auto, tty, plain or none, got '" + s + "'");
    };
  }

  private static boolean interactive() {
    if (System.getenv("CI") != null || "dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try { // JDK 22+: a Console may exist for redirected streams; ask whether it is a terminal
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  @Override
  public void started(int total) {
    if (mode == Mode.PLAIN) {
      err.println("index: " + total + " files to check");
    }
    lastPrint = System.nanoTime();
  }

  @Override
  public void progress(IndexingProgress p) {
    long now = System.nanoTime();
    boolean last = p.done() == p.total();
    if (mode == Mode.TTY && (now - lastPrint >= 200_000_000L || last)) {
      err.print("\r" + line(p) + "   ");
      err.flush();
      lineOpen = true;
      lastPrint = now;
    } else if (mode == Mode.PLAIN && now - lastPrint >= plainEveryNanos) {
      err.println("index: " + line(p));
      lastPrint = now;
    }
  }

  private static String line(IndexingProgress p) {
    double eta = p.etaSeconds();
    return String.format(
        Locale.ROOT,
        "%d/%d files, %d embedded, %d failed, %.1f files/s, ETA %s",
        p.done(),
        p.total(),
        p.embedded(),
        p.failed(),
        p.filesPerSecond(),
        eta < 0 ? "?" : duration(eta));
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  @Override
  public void augmenting(int done, int total) {
    long now = System.nanoTime();
    boolean last = done == total;
    String line = "augmenting: " + done + "/" + total + " images";
    if (mode == Mode.TTY && (now - lastPrint >= 200_000_000L || last || done == 0)) {
      err.print((lineOpen && !augmentLine ? "\n" : "") + "\r" + line + "   ");
      err.flush();
      lineOpen = !last;
      augmentLine = !last;
      if (last) {
        err.println();
      }
      lastPrint = now;
    } else if (mode == Mode.PLAIN && (now - lastPrint >= plainEveryNanos || last || done == 0)) {
      err.println("index: " + line);
      lastPrint = now;
    }
  }

  @Override
  public void failed(String path, String reason, String message) {
    if (mode == Mode.TTY && lineOpen) {
      err.println();
      lineOpen = false;
    }
  }

  @Override
  public void committed(int documents) {
    if (mode == Mode.PLAIN) {
      err.println("index: committed, " + documents + " documents");
    }
  }

  @Override
  public void notice(String message) {
    if (mode != Mode.NONE) {
      if (lineOpen) {
        err.println();
        lineOpen = false;
      }
      err.println("index: " + message);
    }
  }

  @Override
  public void finished(IndexingSummary s) {
    if (mode == Mode.TTY && lineOpen) {
      err.println();
      lineOpen = false;
    }
  }
}
