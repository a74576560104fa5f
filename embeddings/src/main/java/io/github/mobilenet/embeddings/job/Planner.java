package io.github.mobilenet.embeddings.job;

import io.github.mobilenet.core.extract.ExtractionResult;
import io.github.mobilenet.core.image.ImageDecodeException;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.embeddings.embed.ImageEmbedder;
import io.github.mobilenet.embeddings.index.ContentHash;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.embeddings.index.ImageStore;
import io.github.mobilenet.embeddings.index.Tags;
import io.github.mobilenet.embeddings.job.IndexingFailure.Reason;
import io.github.mobilenet.embeddings.job.Ops.Failure;
import io.github.mobilenet.embeddings.job.Ops.Outcome;
import io.github.mobilenet.embeddings.job.Ops.Put;
import io.github.mobilenet.embeddings.job.Ops.Unchanged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The planning side of an {@link IndexingJob}: decides for each walked file whether it is
 * unchanged, can reuse an indexed vector (same content elsewhere), or must be embedded, and turns
 * embedding results into writes. Runs on the job's calling thread (embedding callbacks on the
 * extractor's); hands everything to the {@link JobWriter}.
 */
final class Planner {
  private final ImageStore index;
  private final ImageEmbedder embedder;
  private final Tags tags;
  private final boolean clearTags;
  private final JobWriter writer;
  private final long maxFileBytes;

  /**
   * How many indexed images carry each id (more than one only in indexes from before per-path ids).
   */
  private final Map<String, Integer> idCount = new HashMap<>();

  /** Walked files the tags file names. */
  private final Set<Path> tagged = new HashSet<>();

  /** Indexed images by path, as the run started. */
  final Map<String, ImageDoc> byPath = new HashMap<>();

  /** The first path (in order) of each indexed content hash. */
  private final Map<String, String> pathByContent = new HashMap<>();

  private final Set<Long> sizes = new HashSet<>();

  /** Paths walked in this run. */
  final Set<String> seen = new HashSet<>();

  private final Map<ImageSource, Pending> pending = new IdentityHashMap<>();

  /** What the planner knows about a file sent to the extractor. */
  private record Pending(
      String key,
      Path file,
      long size,
      long modified,
      String content,
      Map<String, List<String>> tags,
      boolean existed) {}

  Planner(
      ImageStore index, ImageEmbedder embedder, Tags tags, boolean clearTags, JobWriter writer) {
    this.index = index;
    this.embedder = embedder;
    this.tags = tags;
    this.clearTags = clearTags;
    this.writer = writer;
    this.maxFileBytes = embedder.extractor().decoder().maxFileBytes();
  }

  /** Rows of the tags file that named no walked file. */
  int unmatchedTagRows() {
    return Math.max(0, tags.size() - tagged.size());
  }

  /**
   * The tags a file gets: those the tags file gives it (they replace the stored ones), else none
   * when clearing, else the stored ones: tags are user data and are never dropped silently.
   */
  private Map<String, List<String>> tagsFor(Path f, ImageDoc old) {
    Map<String, List<String>> given = tags.forFile(f);
    if (!given.isEmpty()) {
      tagged.add(f.toAbsolutePath().normalize());
      return Tags.copy(given);
    }
    return clearTags || old == null ? Map.of() : old.tags();
  }

  /**
   * The id to keep for a file whose content is unchanged: its own, unless an index from before
   * per-path ids gave identical copies one shared id (null: a fresh per-path id).
   */
  private String keptId(ImageDoc old) {
    return idCount.getOrDefault(old.id(), 0) > 1 ? null : old.id();
  }

  /** Reads what is indexed now; call before planning. */
  void load() {
    index.refresh(); // plan against everything written so far
    index.forEach(
        d -> {
          byPath.put(d.path(), d);
          pathByContent.merge(d.content(), d.path(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
          sizes.add(d.size());
          idCount.merge(d.id(), 1, Integer::sum);
        });
  }

  /**
   * Plans one file: returns it when it must be embedded, else queues what to do and returns null.
   */
  ImageSource consider(Path f) {
    String key = f.toAbsolutePath().normalize().toString();
    seen.add(key);
    ImageDoc old = byPath.get(key);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(f, BasicFileAttributes.class);
    } catch (IOException e) {
      fail(
          key,
          f + ": " + (e instanceof NoSuchFileException ? "no such file" : e.toString()),
          false);
      return null;
    }
    long size = attrs.size();
    long modified = attrs.lastModifiedTime().toMillis();
    Map<String, List<String>> fileTags = tagsFor(f, old);
    if (old != null && old.size() == size && old.modified() == modified) {
      String id = keptId(old);
      if (old.tags().equals(fileTags) && id != null) {
        writer.put(new Unchanged());
        return null;
      }
      Optional<float[]> v = index.vectorByPath(key);
      if (v.isPresent()) {
        writer.put(
            new Put(
                id,
                old.content(),
                key,
                f,
                size,
                modified,
                old.width(),
                old.height(),
                fileTags,
                v.get(),
                storedLocalFeatures(key),
                false,
                Outcome.UNCHANGED,
                !old.tags().equals(fileTags)));
        return null;
      }
    }
    String content = null;
    ImageSource source = ImageSource.of(f);
    // A same-content document may exist: hash now to reuse its vector. Only a regular file: a FIFO
    // or socket goes on to extraction, which refuses it unopened with a per-file error.
    if (attrs.isRegularFile() && (old != null || sizes.contains(size))) {
      try {
        if (size <= maxFileBytes) {
          // Decode the bytes that were hashed: a file rewritten in between cannot pair one
          // version's hash with another's vector.
          byte[] bytes = Files.readAllBytes(f);
          content = ContentHash.of(bytes);
          source = new ImageSource.BytesSource(bytes, f.toString());
        } else {
          content = ContentHash.of(f); // extraction refuses it as too large, naming the limit
        }
      } catch (IOException e) {
        fail(key, f + ": " + e, false);
        return null;
      }
      String same = old != null && old.content().equals(content) ? key : pathByContent.get(content);
      if (same != null) {
        Optional<float[]> v = index.vectorByPath(same);
        ImageDoc src = byPath.get(same);
        if (v.isPresent()) {
          Outcome o =
              old == null
                  ? Outcome.INDEXED
                  : old.content().equals(content) ? Outcome.UNCHANGED : Outcome.UPDATED;
          boolean sameFile = old != null && old.content().equals(content);
          writer.put(
              new Put(
                  sameFile ? keptId(old) : null,
                  content,
                  key,
                  f,
                  size,
                  modified,
                  src.width(),
                  src.height(),
                  fileTags,
                  v.get(),
                  storedLocalFeatures(same),
                  false,
                  o,
                  old != null && !old.tags().equals(fileTags)));
          return null;
        }
      }
    }
    pending.put(source, new Pending(key, f, size, modified, content, fileTags, old != null));
    return source;
  }

  private void fail(String key, String message, boolean deleteStale) {
    writer.put(new Failure(new IndexingFailure(key, Reason.IO_ERROR, message), true, deleteStale));
  }

  /** The local features stored for the document at {@code path}, kept when it is rewritten. */
  private byte[] storedLocalFeatures(String path) {
    return index.hasLocalFeatures() ? index.localFeaturesBytesByPath(path).orElse(null) : null;
  }

  /**
   * An extraction result for a file {@link #consider} returned, with its encoded local features
   * (null: none).
   */
  void embedded(ExtractionResult r, byte[] localFeatures) {
    Pending p = pending.remove(r.source());
    if (!r.ok()) {
      Reason reason =
          r.error() instanceof ImageDecodeException d ? Reason.of(d.reason()) : Reason.ERROR;
      writer.put(
          new Failure(
              new IndexingFailure(p.key(), reason, r.error().getMessage()), true, p.existed()));
      return;
    }
    float[] v = embedder.toVector(r.features());
    ImageDoc old = byPath.get(p.key());
    writer.put(
        new Put(
            null,
            p.content(),
            p.key(),
            p.file(),
            p.size(),
            p.modified(),
            r.width(),
            r.height(),
            p.tags(),
            v,
            localFeatures,
            true,
            p.existed() ? Outcome.UPDATED : Outcome.INDEXED,
            old != null && !old.tags().equals(p.tags())));
  }
}
