package io.github.mobilenet.core.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads and trims the outputs of a serialized ONNX model without an ONNX library: the few protobuf
 * fields involved are walked in the wire format (ModelProto field 7 is the graph, GraphProto field
 * 12 its outputs, ValueInfoProto field 1 a name). Every other byte is copied unchanged.
 *
 * <p>Why: ONNX Runtime computes every graph output on each run, so a multi-output graph costs more
 * than one pruned to the output a caller needs; ONNX Runtime drops the nodes that only fed removed
 * outputs when it loads the trimmed model. Stateless and thread-safe.
 */
public final class OnnxGraphs {
  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_OUTPUT = 12;
  private static final int VALUE_INFO_NAME = 1;
  private static final int LENGTH_DELIMITED = 2;

  private OnnxGraphs() {}

  /**
   * The graph output names of {@code model}, in order.
   *
   * @throws IllegalArgumentException when the bytes are not a well-formed protobuf message
   */
  public static List<String> outputNames(byte[] model) {
    List<String> names = new ArrayList<>();
    forEachField(
        model,
        0,
        model.length,
        (field, start, valueStart, end) -> {
          if (field == MODEL_GRAPH) {
            forEachField(
                model,
                valueStart,
                end,
                (f, s, vs, e) -> {
                  if (f == GRAPH_OUTPUT) {
                    names.add(valueInfoName(model, vs, e));
                  }
                });
          }
        });
    return names;
  }

  /**
   * {@code model} with every graph output but those in {@code keep} removed.
   *
   * @throws IllegalArgumentException when an output in {@code keep} is not in the model, or the
   *     bytes are not a well-formed protobuf message
   */
  public static byte[] withOnlyOutputs(byte[] model, Set<String> keep) {
    List<String> present = outputNames(model);
    for (String k : keep) {
      if (!present.contains(k)) {
        throw new IllegalArgumentException(
            "the model has no output '" + k + "' (outputs: " + String.join(", ", present) + ")");
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(model.length);
    forEachField(
        model,
        0,
        model.length,
        (field, start, valueStart, end) -> {
          if (field != MODEL_GRAPH) {
            out.write(model, start, end - start);
            return;
          }
          ByteArrayOutputStream graph = new ByteArrayOutputStream(end - valueStart);
          forEachField(
              model,
              valueStart,
              end,
              (f, s, vs, e) -> {
                if (f != GRAPH_OUTPUT || keep.contains(valueInfoName(model, vs, e))) {
                  graph.write(model, s, e - s);
                }
              });
          out.write(MODEL_GRAPH << 3 | LENGTH_DELIMITED);
          writeVarint(out, graph.size());
          out.writeBytes(graph.toByteArray());
        });
    return out.toByteArray();
  }

  private interface FieldVisitor {
    void visit(int field, int start, int valueStart, int end);
  }

  /** Calls {@code visitor} for each top-level field in [from, to): its number and byte ranges. */
  private static void forEachField(byte[] b, int from, int to, FieldVisitor visitor) {
    int[] p = {from};
    while (p[0] < to) {
      int start = p[0];
      long key = readVarint(b, p, to);
      int type = (int) (key & 7);
      int valueStart = p[0];
      switch (type) {
        case 0 -> readVarint(b, p, to);
        case 1 -> p[0] += 8;
        case 2 -> {
          long len = readVarint(b, p, to);
          valueStart = p[0];
          if (len < 0 || len > to - valueStart) {
            throw malformed("field length " + len + " past the end", start);
          }
          p[0] += (int) len;
        }
        case 5 -> p[0] += 4;
        default -> throw malformed("unsupported wire type " + type, start);
      }
      if (p[0] > to) {
        throw malformed("field past the end", start);
      }
      visitor.visit((int) (key >>> 3), start, valueStart, p[0]);
    }
  }

  private static String valueInfoName(byte[] b, int from, int to) {
    String[] name = {null};
    forEachField(
        b,
        from,
        to,
        (f, s, vs, e) -> {
          if (f == VALUE_INFO_NAME) {
            name[0] = new String(b, vs, e - vs, StandardCharsets.UTF_8);
          }
        });
    return name[0];
  }

  private static long readVarint(byte[] b, int[] p, int to) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p[0] >= to) {
        throw malformed("truncated varint", p[0]);
      }
      byte x = b[p[0]++];
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw malformed("varint longer than 10 bytes", p[0]);
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) (v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static IllegalArgumentException malformed(String what, int at) {
    return new IllegalArgumentException("not an ONNX model: " + what + " at byte " + at);
  }
}
