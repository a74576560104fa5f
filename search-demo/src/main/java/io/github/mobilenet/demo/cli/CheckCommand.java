package io.github.mobilenet.demo.cli;

import io.github.mobilenet.embeddings.index.IndexCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code check}: full verification of an index (Lucene's checksums and the index's invariants). */
@Command(
    name = "check",
    description = {
      "Verifies an index: every file's checksum and segment, then the images' invariants.",
      "Runs Lucene's CheckIndex (every checksum, every segment), then checks that every image has an"
          + " id and a path and finite unit-length vectors. Reads the whole index; it must not be"
          + " written meanwhile. stdout: {\"index\": DIR, \"ok\": true|false, \"documents\": n,"
          + " \"problems\": [...]}. Exit 0 clean, 1 damaged, 2 usage error."
    })
final class CheckCommand extends CliCommand {
  @Mixin IndexDirOption indexDir = new IndexDirOption();

  @Override
  public Integer call() {
    IndexCheck.Report r = IndexCheck.run(indexDir.path);
    for (String p : r.problems()) {
      err().println("mobilenet check: " + r.folder() + ": " + p);
    }
    Json.line(
        out(),
        Json.obj(
            "index",
            r.folder().toString(),
            "ok",
            r.ok(),
            "documents",
            r.documents(),
            "problems",
            r.problems()));
    return r.ok() ? ExitCode.OK : ExitCode.SOME_FAILED;
  }
}
