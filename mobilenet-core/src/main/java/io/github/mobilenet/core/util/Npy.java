package io.github.mobilenet.core.util;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy .npy (format 1.0) for float32 arrays: rows of equal length, written and read little-endian.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private Npy() {}

  /**
   * Writes {@code rows} as a C-order float32 array of shape [rows, cols] ({@code [0, 0]} when
   * empty).
   */
  public static void write(OutputStream out, List<float[]> rows) throws IOException {
    int cols = rows.isEmpty() ? 0 : rows.get(0).length;
    for (float[] r : rows) {
      if (r.length != cols) {
        throw new IllegalArgumentException("rows differ in length: " + cols + " vs " + r.length);
      }
    }
    writeHeader(out, new int[] {rows.size(), cols});
    ByteBuffer buf = ByteBuffer.allocate(cols * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] r : rows) {
      buf.clear();
      buf.asFloatBuffer().put(r);
      out.write(buf.array(), 0, cols * 4);
    }
  }

  private static void writeHeader(OutputStream out, int[] shape) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      dims.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    if (shape.length == 1) {
      dims.append(','); // a Python 1-tuple
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int pad = (64 - unpadded % 64) % 64; // header length multiple of 64, as numpy writes it
    String header = dict + " ".repeat(pad) + "\n";
    out.write(MAGIC);
    out.write(new byte[] {1, 0});
    out.write(new byte[] {(byte) (header.length() & 0xFF), (byte) (header.length() >> 8)});
    out.write(header.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * A float32 array of any number of dimensions.
   *
   * @param shape the dimensions, outermost first
   * @param values the product of {@code shape} values in C (row-major) order
   */
  public record Array(int[] shape, float[] values) {
    /** Checks that the values fill the shape. */
    public Array {
      long n = 1;
      for (int d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
        }
        n *= d;
      }
      if (n != values.length) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
      }
    }
  }

  /** Writes a C-order float32 array of any shape. */
  public static void write(OutputStream out, Array array) throws IOException {
    writeHeader(out, array.shape());
    ByteBuffer buf = ByteBuffer.allocate(Math.min(array.values().length, 1 << 16) * 4);
    buf.order(ByteOrder.LITTLE_ENDIAN);
    float[] v = array.values();
    for (int from = 0; from < v.length; from += buf.capacity() / 4) {
      int n = Math.min(buf.capacity() / 4, v.length - from);
      buf.clear();
      buf.asFloatBuffer().put(v, from, n);
      out.write(buf.array(), 0, n * 4);
    }
  }

  /** Writes an array to a file, as {@link #write(OutputStream, Array)}. */
  public static void write(Path file, Array array) throws IOException {
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
      write(out, array);
    }
  }

  /** Reads a float32 (or float64) array of any number of dimensions. */
  public static Array readArray(Path file) throws IOException {
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
      DataInputStream data = new DataInputStream(in);
      Header h = readHeader(data, file.toString());
      long n = 1;
      int[] shape = new int[h.dims().size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = Math.toIntExact(h.dims().get(i));
        n *= shape[i];
      }
      byte[] bytes;
      try {
        bytes = data.readNBytes(Math.toIntExact(n * h.width()));
      } catch (ArithmeticException e) {
        throw new IOException(file + ": array too large, shape " + h.dims(), e);
      }
      if (bytes.length != n * h.width()) {
        throw new IOException(
            file + ": truncated: the header declares " + h.dims() + " but the data ends early");
      }
      ByteBuffer b = ByteBuffer.wrap(bytes).order(h.order());
      float[] v = new float[(int) n];
      for (int i = 0; i < v.length; i++) {
        v[i] = h.width() == 4 ? b.getFloat() : (float) b.getDouble();
      }
      return new Array(shape, v);
    }
  }

  private record Header(List<Long> dims, int width, ByteOrder order) {}

  private static Header readHeader(DataInputStream in, String name) throws IOException {
    byte[] magic = in.readNBytes(6);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new IOException(name + ": not a .npy file");
    }
    int major = in.readUnsignedByte();
    in.readUnsignedByte();
    int headerLen =
        major == 1
            ? in.readUnsignedByte() | (in.readUnsignedByte() << 8)
            : Integer.reverseBytes(in.readInt());
    String header = new String(in.readNBytes(headerLen), StandardCharsets.ISO_8859_1);
    Matcher descr = Pattern.compile("'descr':\\s*'([<>|=]?)(f4|f8)'").matcher(header);
    if (!descr.find()) {
      throw new IOException(
          name + ": only float32/float64 .npy arrays are supported (header " + header.trim() + ")");
    }
    if (header.contains("'fortran_order': True")) {
      throw new IOException(name + ": Fortran-order arrays are not supported");
    }
    boolean big = descr.group(1).equals(">");
    int width = descr.group(2).equals("f4") ? 4 : 8;
    Matcher shape = Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
    if (!shape.find()) {
      throw new IOException(name + ": .npy header has no shape");
    }
    List<Long> dims = new ArrayList<>();
    for (String d : shape.group(1).split(",")) {
      if (!d.isBlank()) {
        dims.add(Long.parseLong(d.trim()));
      }
    }
    return new Header(dims, width, big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
  }

  /** Writes {@code rows} to a file, as {@link #write(OutputStream, List)}. */
  public static void write(Path file, List<float[]> rows) throws IOException {
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
      write(out, rows);
    }
  }

  /** Reads a float32 (or float64) array of 1 or 2 dimensions as rows; a 1-D array is one row. */
  public static List<float[]> read(Path file) throws IOException {
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
      return read(in, file.toString());
    }
  }

  /** Reads an array from a stream; {@code name} is used in error messages. */
  public static List<float[]> read(InputStream raw, String name) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    Header h = readHeader(in, name);
    List<Long> dims = h.dims();
    boolean big = h.order() == ByteOrder.BIG_ENDIAN;
    int width = h.width();
    if (dims.isEmpty() || dims.size() > 2) {
      throw new IOException(name + ": expected a 1-D or 2-D array, shape " + dims);
    }
    int rows = dims.size() == 1 ? 1 : Math.toIntExact(dims.get(0));
    int cols = Math.toIntExact(dims.get(dims.size() - 1));
    List<float[]> out = new ArrayList<>(rows);
    byte[] row = new byte[cols * width];
    for (int r = 0; r < rows; r++) {
      try {
        in.readFully(row);
      } catch (java.io.EOFException e) {
        throw new IOException(
            name + ": truncated: the header declares " + dims + " but the data ends in row " + r,
            e);
      }
      ByteBuffer b =
          ByteBuffer.wrap(row).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      float[] v = new float[cols];
      for (int c = 0; c < cols; c++) {
        v[c] = width == 4 ? b.getFloat() : (float) b.getDouble();
      }
      out.add(v);
    }
    return out;
  }
}
