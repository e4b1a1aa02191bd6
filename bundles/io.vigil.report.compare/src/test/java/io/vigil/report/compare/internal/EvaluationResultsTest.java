package io.vigil.report.compare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationResultsTest {
  @Test
  void trainingTimeIsTheSummarysNotTheBudgetSetting(@TempDir Path model) throws Exception {
    Files.writeString(model.resolve("model.json"), "{\"parameters\": {\"training.seconds\": 150, \"epochs\": 3},"
        + " \"training\": {\"steps\": 206, \"seconds\": 72.5}}");
    assertEquals(OptionalDouble.of(72.5), EvaluationResults.trainingSeconds(model));
  }

  @Test
  void noTrainingSummaryMeansNoTime(@TempDir Path model) throws Exception {
    Files.writeString(model.resolve("model.json"), "{\"parameters\": {\"training.seconds\": 150}}");
    assertTrue(EvaluationResults.trainingSeconds(model).isEmpty());
    assertTrue(EvaluationResults.trainingSeconds(model.resolve("missing")).isEmpty());
  }
}
