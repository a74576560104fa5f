package io.github.mobilenet.demo.cli;

import io.github.mobilenet.embeddings.index.IndexCheck;
import java.io.PrintStream;
import java.util.Set;

/** {@code check}: full verification of an index (Lucene's checksums and the index's invariants). */
final class CheckCommand implements Command {
  @Override
  public String name() {
    return "check";
  }

  @Override
  public String usage() {
    return "check --index DIR\n"
        + "  verifies every file's checksum and every segment (Lucene's CheckIndex), then that every image has an\n"
        + "  id and a path and finite unit-length vectors. Reads the whole index; the index must not be written meanwhile.\n"
        + "  stdout: {\"index\": DIR, \"ok\": true|false, \"documents\": n, \"problems\": [...]}. Exit 0 clean, 1 damaged, 2 usage error.";
  }

  @Override
  public int run(String[] argv, PrintStream out, PrintStream err) throws UsageException {
    Args a = Args.parse(argv, Set.of("index"), Set.of());
    if (!a.positionals().isEmpty()) {
      throw new UsageException("unexpected argument " + a.positionals().get(0));
    }
    IndexCheck.Report r = IndexCheck.run(ImageIndexes.indexPath(a));
    for (String p : r.problems()) {
      err.println("mobilenet check: " + r.folder() + ": " + p);
    }
    Json.line(
        out,
        Json.obj(
            "index",
            r.folder().toString(),
            "ok",
            r.ok(),
            "documents",
            r.documents(),
            "problems",
            r.problems()));
    return r.ok() ? OK : SOME_FAILED;
  }
}
