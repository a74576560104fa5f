package io.github.mobilenet.core.image;

import io.github.mobilenet.core.util.FileTrees;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Where an image comes from: a file, encoded bytes, a stream or an already decoded {@link
 * BufferedImage}. Every source has a name that error messages use.
 */
public sealed interface ImageSource {
  /** A name for messages: the path, or the name the caller gave. */
  String name();

  /** A file, read when decoded; its path names it. */
  static ImageSource of(Path path) {
    return new FileSource(path);
  }

  /** Encoded image bytes (not copied) with a name for messages. */
  static ImageSource of(byte[] encoded, String name) {
    return new BytesSource(encoded, name);
  }

  /**
   * Reads the stream now, up to {@link ImageDecoder#DEFAULT_MAX_FILE_BYTES} (the caller still
   * closes it).
   *
   * @throws ImageDecodeException IO_ERROR when reading fails, TOO_LARGE past the limit
   */
  static ImageSource of(InputStream in, String name) {
    try {
      byte[] bytes =
          in.readNBytes(
              Math.toIntExact(
                  Math.min(Integer.MAX_VALUE - 8, ImageDecoder.DEFAULT_MAX_FILE_BYTES + 1)));
      if (bytes.length > ImageDecoder.DEFAULT_MAX_FILE_BYTES) {
        throw new ImageDecodeException(
            name,
            ImageDecodeException.Reason.TOO_LARGE,
            "stream longer than " + ImageDecoder.DEFAULT_MAX_FILE_BYTES + " bytes");
      }
      return new BytesSource(bytes, name);
    } catch (IOException e) {
      throw new ImageDecodeException(name, ImageDecodeException.Reason.IO_ERROR, e.toString(), e);
    }
  }

  /** A decoded image; orientation and colours are taken as they are. */
  static ImageSource of(BufferedImage image, String name) {
    return new DecodedSource(image, name);
  }

  /**
   * Coerces the types the public API accepts: Path, File, byte[], InputStream, BufferedImage,
   * ImageSource.
   */
  static ImageSource from(Object image) {
    Objects.requireNonNull(image, "image");
    return switch (image) {
      case ImageSource s -> s;
      case Path p -> of(p);
      case java.io.File f -> of(f.toPath());
      case byte[] b -> of(b, "<" + b.length + " bytes>");
      case InputStream in -> of(in, "<stream>");
      case BufferedImage bi ->
          of(bi, "<BufferedImage " + bi.getWidth() + "x" + bi.getHeight() + ">");
      default ->
          throw new IllegalArgumentException(
              "unsupported image type "
                  + image.getClass().getName()
                  + " (use Path, byte[], InputStream, BufferedImage)");
    };
  }

  /** A file on disk. */
  record FileSource(Path path) implements ImageSource {
    /** Requires a path. */
    public FileSource {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String name() {
      return path.toString();
    }

    /**
     * Reads the file, refusing one larger than {@code maxBytes}, and a FIFO, socket or device
     * ({@link ImageDecodeException.Reason#NOT_A_REGULAR_FILE}), before opening it.
     */
    public byte[] read(long maxBytes) {
      try {
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
        if (attrs.isOther()) { // opening a FIFO would block until a writer comes, maybe forever
          throw new ImageDecodeException(
              name(),
              ImageDecodeException.Reason.NOT_A_REGULAR_FILE,
              FileTrees.specialFileKind(path));
        }
        long size = attrs.size();
        if (size > maxBytes) {
          throw new ImageDecodeException(
              name(),
              ImageDecodeException.Reason.TOO_LARGE,
              size + " bytes exceeds the limit of " + maxBytes + " bytes");
        }
        return Files.readAllBytes(path);
      } catch (NoSuchFileException e) {
        throw new ImageDecodeException(
            name(), ImageDecodeException.Reason.IO_ERROR, "no such file", e);
      } catch (IOException | UncheckedIOException e) {
        throw new ImageDecodeException(
            name(), ImageDecodeException.Reason.IO_ERROR, e.toString(), e);
      }
    }
  }

  /** Encoded bytes in memory. */
  record BytesSource(byte[] bytes, String name) implements ImageSource {
    /** Requires bytes and a name. */
    public BytesSource {
      Objects.requireNonNull(bytes, "bytes");
      Objects.requireNonNull(name, "name");
    }
  }

  /** A decoded image, used as it is (no EXIF, no format sniffing). */
  record DecodedSource(BufferedImage image, String name) implements ImageSource {
    /** Requires an image and a name. */
    public DecodedSource {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(name, "name");
    }
  }
}
