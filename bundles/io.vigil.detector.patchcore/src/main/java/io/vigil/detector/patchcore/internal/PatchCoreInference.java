package io.vigil.detector.patchcore.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.image.Image;
import io.vigil.detector.common.features.AnomalyMapResampler;
import java.util.ArrayList;
import io.vigil.detector.common.features.PatchFeatureExtractor;
import io.vigil.djl.graph.CompiledNetwork;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From images to anomaly maps and image scores: patch features, the distance of each patch to
 * its nearest bank entry (the patch score), the score grid upsampled and smoothed to each image's
 * size by the shared resampler. The image score is the largest patch score (optionally
 * re-weighted, as the paper) or the map's maximum.
 */
final class PatchCoreInference implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PatchCoreInference.class);
  private final PatchCoreFeatures features;
  private final PatchCoreParameters parameters;
  private final MemoryBank bank;
  /** The search's principal components (bank already projected); null: the features themselves. */
  private final SearchProjection projection;
  private final NDManager manager;
  private final AnomalyMapResampler resampler;
  /** With map-max and image.sigma >= 0: the map the image score is the maximum of; else null. */
  private final AnomalyMapResampler scoreResampler;
  /** Backbone, features and nearest-entry search as one graph, compiled at the first scoring; null: step by step. */
  private CompiledNetwork compiled;
  private boolean compileTried;

  /** One scored image. */
  record Scored(AnomalyMap map, double score) {}

  /** Takes over the bank and the manager (closed with this); {@code projection} may be null. */
  PatchCoreInference(PatchCoreFeatures features, PatchCoreParameters parameters, MemoryBank bank,
      SearchProjection projection, NDManager manager) {
    this.features = features;
    this.parameters = parameters;
    this.bank = bank;
    this.projection = projection;
    this.manager = manager;
    this.resampler = new AnomalyMapResampler(parameters.inputSize(), parameters.smoothingSigma(), manager);
    this.scoreResampler = PatchCoreParameters.MAP_MAX.equals(parameters.imageScore()) && parameters.imageSigma() >= 0
        ? new AnomalyMapResampler(parameters.inputSize(), parameters.imageSigma(), manager)
        : null;
  }

  MemoryBank bank() {
    return bank;
  }

  /** Null when the search runs on the features themselves. */
  SearchProjection projection() {
    return projection;
  }

  /** Scores images in batches of the model's batch size. */
  List<Scored> score(List<Image> images) {
    List<Scored> scored = new ArrayList<>(images.size());
    int batch = parameters.batchSize();
    for (int start = 0; start < images.size(); start += batch) {
      scored.addAll(scoreBatch(images.subList(start, Math.min(images.size(), start + batch))));
    }
    return scored;
  }

  private synchronized List<Scored> scoreBatch(List<Image> images) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray rgb = features.input(scope, images);
      CompiledNetwork graph = parameters.reweighting() ? null : compiled();
      NDArray rows = null;
      long[] entries = null;
      NDArray distances;
      Shape shape;
      if (graph != null) {
        distances = graph.forward(rgb).singletonOrThrow(); // (N, 1, h, w)
        shape = distances.getShape();
      } else {
        NDArray grid = features.channelsFirst(rgb); // (N, D, h, w)
        shape = grid.getShape();
        rows = PatchCoreFeatures.rows(grid);
        if (projection != null) {
          rows = projection.apply(rows);
        }
        MemoryBank.Nearest nearest = bank.nearest(rows, parameters.reweighting());
        distances = nearest.squaredDistances().sqrt();
        entries = parameters.reweighting() ? nearest.indices().toLongArray() : null;
      }
      int n = (int) shape.get(0);
      int h = (int) shape.get(2);
      int w = (int) shape.get(3);
      int cells = h * w;
      float[] patchScores = distances.toFloatArray();
      NDArray grids = distances.reshape(n, h, w);
      List<Scored> scored = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Image image = images.get(i);
        float[] values = resampler.toImage(grids.get(i), image.height(), image.width());
        AnomalyMap map = new AnomalyMap(image.width(), image.height(), values);
        double score;
        if (scoreResampler != null) {
          score = max(scoreResampler.toImage(grids.get(i), parameters.inputSize(), parameters.inputSize()));
        } else if (PatchCoreParameters.MAP_MAX.equals(parameters.imageScore())) {
          score = map.max();
        } else {
          int worst = i * cells;
          for (int p = i * cells; p < (i + 1) * cells; p++) {
            if (patchScores[p] > patchScores[worst]) {
              worst = p;
            }
          }
          score = patchScores[worst];
          if (parameters.reweighting()) {
            score = bank.reweight(rows.get(worst).toFloatArray(), (int) entries[worst], score,
                parameters.reweightingNeighbours());
          }
        }
        scored.add(new Scored(map, score));
      }
      return scored;
    }
  }

  private static double max(float[] values) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      max = Math.max(max, v);
    }
    return max;
  }

  private CompiledNetwork compiled() {
    if (!compileTried) {
      compileTried = true;
      try {
        try (NDManager weights = manager.newSubManager()) {
          compiled = features.compile(graph -> {
            String queries = PatchFeatureExtractor.EMBEDDING;
            if (projection != null) {
              projection.addTo(graph, queries, "projected", weights);
              queries = "projected";
            }
            bank.addTo(graph, queries, "distances");
          }).orElse(null);
        }
        if (compiled != null) {
          LOG.info("PatchCore scores through {}", compiled.description());
        }
      } catch (RuntimeException e) {
        LOG.warn("PatchCore scores step by step (slower): its graph did not compile: {}", e.getMessage());
      }
    }
    return compiled;
  }

  @Override
  public synchronized void close() {
    if (compiled != null) {
      compiled.close();
    }
    bank.close();
    manager.close();
    features.backbone().close();
  }
}
