package io.github.mobilenet.eval.learn;

/** Per-dimension statistics of training vectors, shared by the learners. Stateless. */
final class Columns {
  private Columns() {}

  /**
   * The mean of each dimension, summed in double precision in row order.
   *
   * @throws IllegalArgumentException when {@code rows} is empty or the rows differ in length
   */
  static double[] mean(float[][] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("no vectors");
    }
    int d = rows[0].length;
    double[] mean = new double[d];
    for (int i = 0; i < rows.length; i++) {
      float[] row = rows[i];
      if (row.length != d) {
        throw new IllegalArgumentException(
            "vector " + i + " has " + row.length + " dimensions, expected " + d);
      }
      for (int j = 0; j < d; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= rows.length;
    }
    return mean;
  }
}
