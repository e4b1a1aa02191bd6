package io.vigil.detector.efficientad.internal;

import ai.djl.ndarray.NDArray;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.Tap;
import io.vigil.detector.common.features.PatchFeatureExtractor;
import io.vigil.detector.common.features.PatchFeatures;
import java.util.ArrayList;
import java.util.List;

/**
 * The frozen teacher: the shared patch features of the backbone's taps (each tap's 3x3
 * neighbourhood averaged, coarser taps resized to the finest grid, every channel kept), the
 * features PatchCore scores with. The paper distils its teacher from the same kind of target
 * (WideResNet-101's second and third stages, neighbourhood-aggregated); here the target is used
 * directly.
 *
 * @param channels the features' channels (the taps' channels together)
 * @param stride   the finest tap's stride: the grid is input / stride
 */
record TeacherFeatures(PatchFeatureExtractor extractor, int channels, int stride) {

  /** @throws IllegalArgumentException naming a tap the backbone lacks, or a stride the student cannot match */
  static TeacherFeatures of(Backbone backbone, List<String> taps, int inputSize) {
    List<Integer> channels = new ArrayList<>();
    int stride = Integer.MAX_VALUE;
    for (String name : taps) {
      Tap tap = backbone.taps().stream().filter(t -> t.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("backbone " + backbone.name() + " has no tap '" + name
              + "'; taps: " + backbone.taps().stream().map(Tap::name).toList()));
      channels.add(tap.channels());
      stride = Math.min(stride, tap.stride());
    }
    if (stride != 4 && stride != 8) {
      throw new IllegalArgumentException("the finest teacher tap has stride " + stride
          + "; EfficientAD's student matches a stride-4 or stride-8 teacher");
    }
    PatchFeatures features = new PatchFeatures(PatchFeatures.KEEP, PatchFeatures.KEEP);
    return new TeacherFeatures(new PatchFeatureExtractor(backbone, taps, inputSize, features),
        features.dimension(channels), stride);
  }

  /** The raw teacher features (N, C, g, g) of resized images (N, 3, S, S). */
  NDArray raw(NDArray rgb) {
    return extractor.patchFeaturesChannelsFirst(rgb);
  }
}
