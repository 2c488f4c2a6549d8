package dev.colony.actors.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colony.actors.data.DataPlane;
import dev.colony.actors.data.DataSettings;
import dev.colony.gpu.DType;
import dev.colony.gpu.Matrix;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensor outputs: written through a mapping, committed, read back here or from another process's store. */
class TensorOutputTest {

    @TempDir
    Path dir;

    private static OutputRef writeTensor(OutputStore store, int rows, int cols) {
        NewTensor t = store.newTensor("n1", "job", "t", 1, TensorShape.of(DType.F32, rows, cols));
        t.matrix().fillRandom(new SplittableRandom(7));
        return t.commit().ref();
    }

    @Test
    void shouldServeATensorToAnotherStoreOverTheDataPlane() {
        OutputStore producer = OutputStore.open(dir.resolve("a"), 1024, 1L << 30);
        OutputStore consumer = OutputStore.open(dir.resolve("b"), 1024, 1L << 30);
        try (DataPlane a = DataPlane.start(DataSettings.loopback(), producer::map);
             DataPlane b = DataPlane.start(DataSettings.loopback(), consumer::map);
             Arena arena = Arena.ofShared()) {
            producer.attach(a);
            consumer.attach(b);
            OutputRef ref = writeTensor(producer, 300, 200);
            assertEquals(a.endpoint(), ref.from());
            assertEquals(300L * 200 * 4, ref.bytes());
            assertEquals(ref.bytes(), producer.usedBytes());
            MemorySegment local = producer.segment(ref, arena);
            MemorySegment fetched = consumer.segment(ref, arena);
            assertEquals(-1, local.mismatch(fetched));
            Matrix m = Matrix.wrap(fetched, DType.F32, 300, 200);
            Matrix expected = Matrix.allocate(arena, DType.F32, 300, 200);
            expected.fillRandom(new SplittableRandom(7));
            assertEquals(expected.get(299, 199), m.get(299, 199));
            assertEquals(300, consumer.get(TaskOutput.stored(ref)).path("tensor").path("rows").asInt());
        }
    }

    @Test
    void shouldRefuseATensorWhoseFileWasAltered() throws Exception {
        OutputStore store = OutputStore.open(dir, 1024, 1L << 30);
        OutputRef ref = writeTensor(store, 64, 64);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(ref.key()).toFile(), "rw"); Arena arena = Arena.ofShared()) {
            f.seek(100);
            f.write(f.read() ^ 0xff);
            OutputLostException e = assertThrows(OutputLostException.class, () -> store.segment(ref, arena));
            assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains("CRC-32C"), e.getMessage());
        }
    }

    @Test
    void shouldGiveADiscardedTensorsBytesBackToTheQuota() {
        OutputStore store = OutputStore.open(dir, 1024, 100_000);
        NewTensor t = store.newTensor("n1", "job", "t", 1, TensorShape.of(DType.F64, 100, 100));
        assertEquals(80_000, store.usedBytes());
        OutputStoreException e = assertThrows(OutputStoreException.class,
                () -> store.newTensor("n1", "job", "u", 1, TensorShape.of(DType.F64, 100, 100)));
        assertTrue(e.getMessage().contains("colony.persistence.outputs.quota"), e.getMessage());
        t.discard();
        assertEquals(0, store.usedBytes());
        assertThrows(OutputStoreException.class, () -> OutputStore.inlineOnly().newTensor("n1", "j", "t", 1,
                TensorShape.of(DType.F32, 2, 2)));
    }
}
