package io.vigil.detector.common.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.ModelException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoriesTest {
  @TempDir Path temp;

  @Test
  void aModelAppearsWholeOrNotAtAll() throws Exception {
    Path model = temp.resolve("models/m");
    assertThrows(IOException.class, () -> ModelDirectories.writeAtomically(model, partial -> {
      Files.writeString(partial.resolve("weights.bin"), "half");
      throw new IOException("disk full");
    }));
    assertFalse(Files.exists(model));
    assertEquals(List.of(), Files.list(temp.resolve("models")).toList(), "no partial directory left");

    ModelDirectories.writeAtomically(model, partial -> {
      Files.writeString(partial.resolve("weights.bin"), "abc");
      Files.writeString(partial.resolve("model.json"), "{\"algorithm\": \"x\"}");
    });
    assertTrue(ModelDirectories.looksLikeModel(model, "model.json", "x"));
    assertFalse(ModelDirectories.looksLikeModel(model, "model.json", "y"));
    assertThrows(FileAlreadyExistsException.class, () -> ModelDirectories.writeAtomically(model, partial -> {}));
  }

  @Test
  void aPartialModelLeftByAKilledProcessIsRemovedByTheNextWriteAndOneOfALiveProcessIsKept() throws Exception {
    Path models = Files.createDirectories(temp.resolve("models"));
    // A process that is gone: start one and wait for its end, so its id is known dead.
    Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    gone.waitFor();
    Path abandoned = Files.createDirectories(models.resolve(".tiles.partial-" + gone.pid() + "-abc123"));
    Files.writeString(abandoned.resolve("weights.bin"), "half");
    Path live = Files.createDirectories(models.resolve(".tiles.partial-" + ProcessHandle.current().pid() + "-def456"));
    Path otherModel = Files.createDirectories(models.resolve(".other.partial-" + gone.pid() + "-abc123"));

    ModelDirectories.writeAtomically(models.resolve("tiles"), partial -> Files.writeString(partial.resolve("model.json"), "{}"));

    assertEquals(List.of(".other.partial-" + gone.pid() + "-abc123", ".tiles.partial-" + ProcessHandle.current().pid() + "-def456",
        "tiles"), Files.list(models).map(p -> p.getFileName().toString()).sorted().toList());
    assertTrue(Files.isDirectory(live) && Files.isDirectory(otherModel));
  }

  @Test
  void aFailedWriteNamesTheFreeSpaceAndLeavesNothing() throws Exception {
    Path model = temp.resolve("models/full");
    IOException e = assertThrows(IOException.class, () -> ModelDirectories.writeAtomically(model, partial -> {
      Files.writeString(partial.resolve("weights.bin"), "half");
      throw new IOException("No space left on device");
    }));
    assertTrue(e.getMessage().startsWith("No space left on device (") && e.getMessage().contains(" free on the file system of "
        + temp.resolve("models")) && e.getMessage().endsWith("; the unfinished model was removed"), e.getMessage());
    assertEquals(List.of(), Files.list(temp.resolve("models")).toList());
  }

  @Test
  void weightsAreCheckedBySha256() throws Exception {
    Files.writeString(temp.resolve("weights.bin"), "abc");
    // sha256("abc"), the FIPS 180-2 test vector
    String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assertEquals(abc, ModelDirectories.sha256(temp.resolve("weights.bin")));
    ModelDirectories.checkWeights(temp, "weights.bin", "model.json", abc);
    ModelException damaged = assertThrows(ModelException.class,
        () -> ModelDirectories.checkWeights(temp, "weights.bin", "model.json", "0".repeat(64)));
    assertTrue(damaged.getMessage().contains("changed or damaged"), damaged.getMessage());
    ModelException missing = assertThrows(ModelException.class,
        () -> ModelDirectories.checkWeights(temp, "other.bin", "model.json", abc));
    assertTrue(missing.getMessage().contains("other.bin missing"), missing.getMessage());
  }
}
