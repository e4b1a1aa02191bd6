package io.vigil.detector.patchcore.internal;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Greedy k-center selection (Gonzalez; Sener and Savarese; PatchCore's coreset): start from one
 * point, then repeatedly add the point farthest from everything chosen so far. The result covers
 * the data with a radius at most twice the optimal k-center radius. PatchCore runs it on a random
 * projection of the patch features ({@link RandomProjection}), which keeps the distances roughly
 * and makes each step cheaper.
 *
 * <p>One pass per step: distance to the newest centre, running minimum, next farthest point. The
 * points are held dimension-major (all points' first coordinate, then all second ones...), so the
 * distance loop runs over consecutive points with no reduction inside, which the JIT turns into
 * vector instructions; each point's sum still adds its coordinates in order, so the result is
 * the same as a row-by-row loop. Large point sets are split into contiguous parts scanned by
 * threads of an executor owned by the call (shut down when it returns); parts are combined in
 * order, so the choice does not depend on the number of threads.
 */
final class KCenterCoreset {
  /** Told after each chosen point; throws to cancel (the selection stops at once). */
  interface Progress {
    Progress NONE = (chosen, total) -> {};

    void chosen(int chosen, int total);
  }

  /** Below this many points per thread, handing work to threads costs more than it saves. */
  static final int MIN_POINTS_PER_THREAD = 8192;
  /** Points whose running sums stay in the L1 cache while the coordinates stream past. */
  private static final int CHUNK = 1024;

  private KCenterCoreset() {}

  /** {@link #select(float[], int, int, int, int, Progress)} on every available processor. */
  static int[] select(float[] points, int dimension, int count, int first, Progress progress)
      throws InterruptedException {
    return select(points, dimension, count, first, Runtime.getRuntime().availableProcessors(), progress);
  }

  /**
   * @param points    n rows of {@code dimension} values, row-major
   * @param dimension values per point
   * @param count     how many points to choose (at most n)
   * @param first     the starting point (PatchCore starts from a random one)
   * @param threads   at most this many threads scan (fewer for small n)
   * @return the chosen row indices in the order chosen; fewer than {@code count} only when the
   *     remaining points all coincide with chosen ones
   */
  static int[] select(float[] points, int dimension, int count, int first, int threads, Progress progress)
      throws InterruptedException {
    int n = points.length / dimension;
    if (n * dimension != points.length) {
      throw new IllegalArgumentException(points.length + " values are not rows of " + dimension);
    }
    if (count < 1 || count > n) {
      throw new IllegalArgumentException("cannot choose " + count + " of " + n + " points");
    }
    if (first < 0 || first >= n) {
      throw new IllegalArgumentException("first point " + first + " is not one of " + n);
    }
    float[] columns = transpose(points, n, dimension);
    int parts = Math.max(1, Math.min(threads, n / MIN_POINTS_PER_THREAD));
    Scan[] scans = new Scan[parts];
    float[] nearest = new float[n];
    Arrays.fill(nearest, Float.POSITIVE_INFINITY);
    float[] centre = new float[dimension];
    for (int part = 0; part < parts; part++) {
      scans[part] = new Scan(columns, n, dimension, centre, nearest, (int) ((long) n * part / parts),
          (int) ((long) n * (part + 1) / parts));
    }
    ExecutorService pool = parts == 1 ? null : Executors.newFixedThreadPool(parts - 1, new Named());
    try {
      int[] chosen = new int[count];
      chosen[0] = first;
      progress.chosen(1, count);
      Future<?>[] running = new Future<?>[parts];
      for (int step = 1; step < count; step++) {
        int previous = chosen[step - 1];
        for (int j = 0; j < dimension; j++) {
          centre[j] = columns[j * n + previous];
        }
        for (int part = 1; part < parts; part++) {
          running[part] = pool.submit(scans[part]);
        }
        scans[0].run();
        int farthest = scans[0].farthest;
        float farthestDistance = scans[0].farthestDistance;
        for (int part = 1; part < parts; part++) {
          await(running[part]);
          // Strictly greater: ties go to the lower index, as in one pass over all points.
          if (scans[part].farthestDistance > farthestDistance) {
            farthestDistance = scans[part].farthestDistance;
            farthest = scans[part].farthest;
          }
        }
        if (farthestDistance <= 0) { // everything left duplicates a chosen point
          return Arrays.copyOf(chosen, step);
        }
        chosen[step] = farthest;
        progress.chosen(step + 1, count);
      }
      return chosen;
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  private static void await(Future<?> future) throws InterruptedException {
    try {
      future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * One part's pass: distance of each of its points to the newest centre, running minimum, and
   * the part's farthest point. Its fields are read by the calling thread after the future
   * completes (which orders the writes before the reads).
   */
  private static final class Scan implements Runnable {
    private final float[] columns;
    private final int n;
    private final int dimension;
    private final float[] centre;
    private final float[] nearest;
    private final int from;
    private final int to;
    private final float[] sums = new float[CHUNK];
    int farthest;
    float farthestDistance;

    Scan(float[] columns, int n, int dimension, float[] centre, float[] nearest, int from, int to) {
      this.columns = columns;
      this.n = n;
      this.dimension = dimension;
      this.centre = centre;
      this.nearest = nearest;
      this.from = from;
      this.to = to;
    }

    @Override
    public void run() {
      int best = -1;
      float bestDistance = -1;
      for (int start = from; start < to; start += CHUNK) {
        int length = Math.min(CHUNK, to - start);
        Arrays.fill(sums, 0, length, 0f);
        for (int j = 0; j < dimension; j++) {
          float c = centre[j];
          int base = j * n + start;
          for (int i = 0; i < length; i++) {
            float d = columns[base + i] - c;
            sums[i] += d * d;
          }
        }
        for (int i = 0; i < length; i++) {
          int p = start + i;
          float m = nearest[p];
          float d = sums[i];
          if (d < m) {
            m = d;
            nearest[p] = d;
          }
          if (m > bestDistance) {
            bestDistance = m;
            best = p;
          }
        }
      }
      farthest = best;
      farthestDistance = bestDistance;
    }
  }

  /** Rows (n, dimension) row-major to dimension-major (dimension, n). */
  static float[] transpose(float[] points, int n, int dimension) {
    float[] columns = new float[points.length];
    for (int p = 0, row = 0; p < n; p++, row += dimension) {
      for (int j = 0; j < dimension; j++) {
        columns[j * n + p] = points[row + j];
      }
    }
    return columns;
  }

  /** Squared distance between rows {@code a} and {@code b} (offsets), coordinates added in order. */
  static float squaredDistance(float[] points, int a, int b, int dimension) {
    float sum = 0;
    for (int i = 0; i < dimension; i++) {
      float d = points[a + i] - points[b + i];
      sum += d * d;
    }
    return sum;
  }

  /** Daemon threads named after the job, so a thread dump says whose they are. */
  private static final class Named implements java.util.concurrent.ThreadFactory {
    private final AtomicInteger threads = new AtomicInteger();

    @Override
    public Thread newThread(Runnable work) {
      Thread thread = new Thread(work, "vigil-patchcore-coreset-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
