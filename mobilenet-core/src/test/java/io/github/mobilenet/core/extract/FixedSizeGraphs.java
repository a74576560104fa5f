package io.github.mobilenet.core.extract;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: an ONNX model with its input's height and width fixed, as a user's own export often
 * has them (the shipped graphs all take any size). Walks the protobuf wire format: ModelProto.graph
 * (7) → GraphProto.input (11) → ValueInfoProto.type (2) → TypeProto.tensor_type (1) → shape (2) →
 * dim (1) → dim_value (1) / dim_param (2).
 */
final class FixedSizeGraphs {
  private FixedSizeGraphs() {}

  /** {@code model} with dims 2 and 3 of every graph input set to {@code height}, {@code width}. */
  static byte[] withFixedInput(byte[] model, int height, int width) {
    return rewrite(
        model,
        (field, value) ->
            field != 7
                ? null
                : rewrite(
                    value,
                    (f, input) ->
                        f != 11
                            ? null
                            : rewrite(
                                input,
                                (f2, type) ->
                                    f2 != 2
                                        ? null
                                        : rewrite(
                                            type,
                                            (f3, tensor) ->
                                                f3 != 1
                                                    ? null
                                                    : fixShape(tensor, height, width)))));
  }

  private static byte[] fixShape(byte[] tensorType, int height, int width) {
    return rewrite(
        tensorType,
        (f, shape) -> {
          if (f != 2) {
            return null;
          }
          List<byte[]> dims = new ArrayList<>();
          rewrite(
              shape,
              (d, dim) -> {
                dims.add(dim);
                return null;
              });
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          for (int i = 0; i < dims.size(); i++) {
            byte[] dim = dims.get(i);
            if (i == 2 || i == 3) {
              ByteArrayOutputStream v = new ByteArrayOutputStream();
              v.write(1 << 3); // dim_value, varint
              writeVarint(v, i == 2 ? height : width);
              dim = v.toByteArray();
            }
            field(out, 1, dim);
          }
          return out.toByteArray();
        });
  }

  interface Replacer {
    /** The new value of a length-delimited field, or null to keep it. */
    byte[] replace(int field, byte[] value);
  }

  /** The message with each length-delimited field passed through {@code r}. */
  private static byte[] rewrite(byte[] msg, Replacer r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(msg.length);
    int[] p = {0};
    while (p[0] < msg.length) {
      int start = p[0];
      long key = readVarint(msg, p);
      int type = (int) (key & 7);
      switch (type) {
        case 0 -> readVarint(msg, p);
        case 1 -> p[0] += 8;
        case 5 -> p[0] += 4;
        case 2 -> {
          int len = (int) readVarint(msg, p);
          byte[] value = java.util.Arrays.copyOfRange(msg, p[0], p[0] + len);
          p[0] += len;
          byte[] replaced = r.replace((int) (key >>> 3), value);
          if (replaced != null) {
            field(out, (int) (key >>> 3), replaced);
            continue;
          }
        }
        default -> throw new IllegalArgumentException("wire type " + type);
      }
      out.write(msg, start, p[0] - start);
    }
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, int field, byte[] value) {
    writeVarint(out, (long) field << 3 | 2);
    writeVarint(out, value.length);
    out.writeBytes(value);
  }

  private static long readVarint(byte[] b, int[] p) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      byte x = b[p[0]++];
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }
}
