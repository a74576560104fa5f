package io.github.mobilenet.demo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mobilenet.core.ChildJvm;
import io.github.mobilenet.core.extract.Features;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageIds;
import io.github.mobilenet.embeddings.index.ImageIndex;
import io.github.mobilenet.embeddings.index.IndexConfig;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real indexing process after a commit: the index keeps every committed document and
 * resumes.
 */
class KilledIndexTest {
  @Test
  void killedIndexingResumesWithoutReembeddingCommittedFiles(@TempDir Path dir) throws Exception {
    // 30 photos + half-size PNGs of them: 60 distinct files, enough that the kill lands mid-run
    Path photos = Files.createDirectories(dir.resolve("photos"));
    try (Stream<Path> s = Files.list(CliRun.samples().resolve("test"))) {
      for (Path p : s.filter(f -> f.toString().matches(".*\\.(jpg|png)$")).sorted().toList()) {
        Files.copy(p, photos.resolve(p.getFileName()));
        BufferedImage img = ImageIO.read(p.toFile());
        BufferedImage half =
            new BufferedImage(img.getWidth() / 2, img.getHeight() / 2, BufferedImage.TYPE_INT_RGB);
        half.createGraphics().drawImage(img, 0, 0, half.getWidth(), half.getHeight(), null);
        ImageIO.write(half, "png", photos.resolve("half_" + p.getFileName() + ".png").toFile());
      }
    }
    int total;
    try (Stream<Path> s = Files.list(photos)) {
      total = (int) s.count();
    }
    assertEquals(60, total);
    Path idx = dir.resolve("idx");

    List<String> command = ChildJvm.command(Cli.class, "--add-modules", "jdk.incubator.vector");
    command.addAll(
        List.of(
            "index",
            "--index",
            idx.toString(),
            "--commit-every",
            "4",
            "--progress",
            "plain",
            "--threads",
            "1",
            photos.toString()));
    Process child =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    List<String> seen = new ArrayList<>();
    int[] searchedWhileRunning = {-1};
    CompletableFuture<Integer> committed =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  seen.add(line);
                  if (line.startsWith("index: committed, ")
                      && Integer.parseInt(line.replaceAll("\\D+", "")) >= 4) {
                    // Freeze the job mid-run (SIGSTOP) so it cannot finish while this process
                    // searches it.
                    assertEquals(
                        0,
                        new ProcessBuilder("kill", "-STOP", Long.toString(child.pid()))
                            .start()
                            .waitFor());
                    // another process searches while the job runs: it sees committed documents
                    // only, each whole
                    try (ImageIndex reader = ImageIndex.open(idx)) {
                      int visible = reader.size();
                      assertTrue(visible >= 4, "visible " + visible);
                      float[] q =
                          reader
                              .vectorByPath(photos.resolve("darknet_dog.jpg").toString())
                              .orElse(null);
                      if (q != null) {
                        assertEquals(
                            1.0,
                            reader
                                .search(
                                    q, io.github.mobilenet.embeddings.search.SearchOptions.top(1))
                                .get(0)
                                .score(),
                            1e-5);
                      }
                      searchedWhileRunning[0] = visible;
                    }
                    child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
                    return Integer.parseInt(line.replaceAll("\\D+", ""));
                  }
                }
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
              return -1;
            });
    int committedDocs = committed.get(180, TimeUnit.SECONDS);
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertTrue(committedDocs >= 4, "no commit seen before exit: " + seen);
    assertTrue(child.exitValue() != 0, "child finished normally: " + seen);
    assertTrue(searchedWhileRunning[0] >= 4, "searched while running: " + searchedWhileRunning[0]);

    // reopen: at least the committed documents, fewer than all, each one intact
    int kept;
    try (ImageIndex index = ImageIndex.open(idx);
        ImageEmbedder embedder = ImageEmbedder.open(index.config())) {
      kept = index.size();
      assertTrue(
          kept >= committedDocs && kept < total,
          "kept " + kept + " of " + total + ", committed " + committedDocs);
      List<ImageDoc> docs = new ArrayList<>();
      index.forEach(docs::add);
      assertEquals(kept, docs.size());
      for (ImageDoc d : docs) {
        Path f = Path.of(d.path());
        assertEquals(ContentHash.of(f), d.content());
        assertEquals(ImageIds.of(d.content(), d.path()), d.id());
        assertEquals(Files.size(f), d.size());
        assertEquals(Files.getLastModifiedTime(f).toMillis(), d.modified());
      }
      for (ImageDoc d : docs.subList(0, Math.min(4, docs.size()))) {
        assertEquals(
            1.0,
            Features.cosine(embedder.embed(Path.of(d.path())), index.vector(d.id()).orElseThrow()),
            1e-5);
      }
      assertEquals(IndexConfig.defaults(), index.config());
    }

    // resume: committed files are not embedded again
    CliRun resumed =
        CliRun.run("index", "--index", idx.toString(), "--progress", "none", photos.toString());
    assertEquals(ExitCode.OK, resumed.exit(), resumed.err());
    assertEquals(kept, resumed.last().get("unchanged").asInt());
    assertEquals(total - kept, resumed.last().get("embedded").asInt());
    assertEquals(total - kept, resumed.last().get("indexed").asInt());
    assertEquals(total, resumed.last().get("documents").asInt());
  }
}
