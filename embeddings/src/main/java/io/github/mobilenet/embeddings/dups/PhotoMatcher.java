package io.github.mobilenet.embeddings.dups;

import io.github.mobilenet.core.image.ImageDecoder;
import io.github.mobilenet.core.image.ImageSource;
import io.github.mobilenet.core.image.RgbImage;
import io.github.mobilenet.embeddings.index.ImageDoc;
import io.github.mobilenet.local.extract.OrbExtractor;
import io.github.mobilenet.local.features.LocalFeatures;
import io.github.mobilenet.local.verify.Match;
import io.github.mobilenet.local.verify.Verifier;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Local features of indexed images and their verification: the features the index stores when it
 * has them, else extracted from the image's file (decoded by core's {@link ImageDecoder}, EXIF
 * applied, like the indexing job). A query side always needs its file too: ORB is not
 * flip-invariant, so the mirrored companion that finds mirror images is extracted from the pixels.
 * Thread-safe.
 */
public final class PhotoMatcher {
  private final Function<ImageDoc, Optional<LocalFeatures>> stored;
  private final OrbExtractor extractor;
  private final Verifier verifier;
  private final ImageDecoder decoder = new ImageDecoder();

  /**
   * @param stored the index's stored features of a document, empty when it has none
   */
  public PhotoMatcher(
      Function<ImageDoc, Optional<LocalFeatures>> stored,
      OrbExtractor extractor,
      Verifier verifier) {
    this.stored = stored;
    this.extractor = extractor;
    this.verifier = verifier;
  }

  /** Matcher with the default extractor and verifier. */
  public PhotoMatcher(Function<ImageDoc, Optional<LocalFeatures>> stored) {
    this(stored, new OrbExtractor(), new Verifier());
  }

  /** The extractor (for queries that are not indexed). */
  public OrbExtractor extractor() {
    return extractor;
  }

  /** The verifier. */
  public Verifier verifier() {
    return verifier;
  }

  /** The upright image of an indexed document, decoded from its file. */
  public RgbImage decode(ImageDoc doc) {
    return decoder.decode(ImageSource.of(Path.of(doc.path())));
  }

  /** What an index keeps for {@code doc}: its stored features, else extracted from the file. */
  public LocalFeatures target(ImageDoc doc) {
    Optional<LocalFeatures> f = stored.apply(doc);
    return f.isPresent() ? f.get().withoutMirror() : extractor.extract(decode(doc));
  }

  /**
   * Features of {@code doc} as a query: as-is plus the mirrored companion, from {@code image} (its
   * decoded pixels), reusing the stored upright features when there are some.
   */
  public LocalFeatures query(ImageDoc doc, RgbImage image) {
    Optional<LocalFeatures> f = stored.apply(doc);
    if (f.isPresent()) {
      return f.get().hasMirror() ? f.get() : f.get().withMirror(extractor.extractMirrored(image));
    }
    return extractor.extractQuery(image);
  }

  /** {@link #query(ImageDoc, RgbImage)} decoding the file. */
  public LocalFeatures query(ImageDoc doc) {
    Optional<LocalFeatures> f = stored.apply(doc);
    if (f.isPresent() && f.get().hasMirror()) {
      return f.get();
    }
    return query(doc, decode(doc));
  }

  /**
   * Verifies image {@code a} (with its mirror image) against {@code b}: inliers, point pairs in
   * each image's own pixels, homography and what {@code b} is of {@code a}.
   */
  public Match match(ImageDoc a, ImageDoc b) {
    return verifier.verify(query(a), target(b));
  }

  /** Verifies a query that is not indexed (e.g. an upload) against {@code b}. */
  public Match match(LocalFeatures query, ImageDoc b) {
    return verifier.verify(query, target(b));
  }
}
