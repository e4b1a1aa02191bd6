package io.vigil.detector.simplenet.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vigil.api.image.Image;
import io.vigil.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureStatsProbe {
  @Test
  void stats() throws Exception {
    Path root = Path.of(System.getProperty("vigil.shared"), "datasets/magnetic_tile/train/good");
    List<Image> imgs = new ArrayList<>();
    try (var files = Files.list(root)) { for (Path f : files.sorted().limit(8).toList()) imgs.add(ImageFiles.read(f)); }
    var engine = TestImages.engine();
    var backbone = TestImages.mobileNetV2(engine).load(null);
    try (NDManager m = NDManager.newBaseManager("MXNet")) {
      var inf = new SimpleNetInference(backbone, SimpleNetParameters.defaults(), m);
      NDArray f = inf.patchFeatures(m, imgs);
      NDArray rows = f.reshape(-1, f.getShape().get(3));
      NDArray mean = rows.mean(new int[] {0});
      NDArray std = rows.sub(mean).square().mean(new int[] {0}).sqrt();
      System.out.printf("PROBE shape %s mean|x| %.4f meanOfMeans %.4f medianStd %.4f maxStd %.4f minStd %.5f rowNorm %.3f%n",
          f.getShape(), rows.abs().mean().getFloat(), mean.mean().getFloat(), std.sort().get(std.size() / 2).getFloat(),
          std.max().getFloat(), std.min().getFloat(), rows.square().sum(new int[] {1}).sqrt().mean().getFloat());
      float[] idx = m.create(new int[] {2, 0}).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
      NDArray pick = f.get(m.create(new int[] {2, 0}));
      System.out.printf("PROBE gather %s equal0=%s%n", pick.getShape(), pick.get(0).eq(f.get(2)).all().getBoolean());
    }
  }
}
