package io.github.mobilenet.demo.cli;

import io.github.mobilenet.core.util.FileTrees;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A temporary folder of phone-size JPEGs (12 MP, 4000×3000, quality 0.9) made by upscaling photos
 * and adding sensor-like grain, so that they cost what a camera file costs to decode. Generated at
 * each run and deleted on {@link #close()}: large files are never committed. Not thread-safe.
 */
final class PhonePhotos implements AutoCloseable {
  static final int WIDTH = 4000;
  static final int HEIGHT = 3000;

  private final Path dir;
  private final List<Path> files = new ArrayList<>();

  /** Makes one phone-size JPEG from each of {@code sources} that ImageIO reads. */
  PhonePhotos(List<Path> sources) throws IOException {
    dir = Files.createTempDirectory("mobilenet-bench-12mp-");
    Random random = new Random(12);
    try {
      for (Path s : sources) {
        BufferedImage src = ImageIO.read(s.toFile());
        if (src == null) {
          continue;
        }
        BufferedImage big = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(
            RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src, 0, 0, WIDTH, HEIGHT, null);
        g.dispose();
        int[] px = ((DataBufferInt) big.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
          int n = random.nextInt(9) - 4;
          int p = px[i];
          px[i] =
              clamp(((p >> 16) & 0xFF) + n) << 16
                  | clamp(((p >> 8) & 0xFF) + n) << 8
                  | clamp((p & 0xFF) + n);
        }
        Path out = dir.resolve(String.format("phone_%02d.jpg", files.size()));
        write(big, out);
        files.add(out);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  List<Path> files() {
    return files;
  }

  /**
   * Copies of {@link #files()} that embed a Display P3 profile, as iPhones write them (P3 colorants
   * adapted to D50, sRGB's tone curve): such JPEGs need a colour conversion to sRGB.
   */
  List<Path> withDisplayP3() throws IOException {
    byte[] segment = iccSegment(displayP3());
    List<Path> out = new ArrayList<>();
    for (Path f : files) {
      byte[] jpeg = Files.readAllBytes(f);
      byte[] p3 = new byte[jpeg.length + segment.length];
      System.arraycopy(jpeg, 0, p3, 0, 2); // after the start-of-image marker
      System.arraycopy(segment, 0, p3, 2, segment.length);
      System.arraycopy(jpeg, 2, p3, 2 + segment.length, jpeg.length - 2);
      Path copy = dir.resolve(f.getFileName().toString().replace(".jpg", "_p3.jpg"));
      Files.write(copy, p3);
      out.add(copy);
    }
    return out;
  }

  /** The JDK's sRGB profile with Display P3's colorants and its own name. */
  private static byte[] displayP3() {
    ICC_Profile p = ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
    p.setData(ICC_Profile.icSigRedColorantTag, xyz(0.515121, 0.241196, -0.001053));
    p.setData(ICC_Profile.icSigGreenColorantTag, xyz(0.291977, 0.692245, 0.041885));
    p.setData(ICC_Profile.icSigBlueColorantTag, xyz(0.157104, 0.066574, 0.784073));
    byte[] name = "Display P3\0".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer desc = ByteBuffer.allocate(12 + name.length + 8 + 3 + 67);
    desc.put("desc".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(name.length).put(name);
    p.setData(ICC_Profile.icSigProfileDescriptionTag, desc.array());
    return p.getData();
  }

  private static byte[] xyz(double x, double y, double z) {
    ByteBuffer b = ByteBuffer.allocate(20).put("XYZ ".getBytes(StandardCharsets.US_ASCII));
    b.putInt(0);
    for (double v : new double[] {x, y, z}) {
      b.putInt((int) Math.round(v * 65536)); // s15Fixed16
    }
    return b.array();
  }

  /** An APP2 segment holding the whole profile as its one chunk. */
  private static byte[] iccSegment(byte[] icc) {
    ByteBuffer s = ByteBuffer.allocate(4 + 14 + icc.length);
    s.put((byte) 0xFF).put((byte) 0xE2).putShort((short) (2 + 14 + icc.length));
    s.put("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 1);
    return s.put(icc).array();
  }

  /** Mean file size in MB. */
  double meanMegabytes() throws IOException {
    long sum = 0;
    for (Path f : files) {
      sum += Files.size(f);
    }
    return files.isEmpty() ? 0 : sum / 1e6 / files.size();
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static void write(BufferedImage img, Path out) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out.toFile())) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.9f);
      writer.setOutput(stream);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
  }

  @Override
  public void close() throws IOException {
    FileTrees.deleteRecursively(dir);
  }
}
