package dev.colony.persistence;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

/**
 * Points an H2 file's store header at its newest chunk. H2 writes the header only now and then
 * (when a chunk is not where the previous one predicted, every 20 versions otherwise, never for a
 * chunk at the end of the file) and, after a crash, finds the newest chunk from the header by
 * following each chunk's prediction of the next. Once H2 reuses the space of dead chunks, that
 * search can stop short: {@code H2CrashTest} lost the last 3–28 acknowledged commits to a
 * {@code kill -9} (with H2's 45 s retention after 48 s of writes; with 5 s after 7 s). Writing the
 * header after every group commit (8 KiB at the start of the file) makes recovery start at the chunk
 * that was acknowledged. H2 offers no API for this: its private {@code writeStoreHeader} is called
 * under its own save lock, as H2 does, and a newer H2 that changes them fails here at start-up.
 */
final class H2StoreHeader {

    private final FileStore<?> file;
    private final ReentrantLock saveLock;
    private final MethodHandle writeStoreHeader;

    H2StoreHeader(MVStore store) {
        this.file = store.getFileStore();
        try {
            var lookup = MethodHandles.privateLookupIn(FileStore.class, MethodHandles.lookup());
            this.saveLock = (ReentrantLock) lookup.findVarHandle(FileStore.class, "saveChunkLock", ReentrantLock.class)
                    .get(file);
            this.writeStoreHeader = MethodHandles.privateLookupIn(RandomAccessStore.class, MethodHandles.lookup())
                    .findVirtual(RandomAccessStore.class, "writeStoreHeader", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("this H2 version does not have the store-header internals Colony's group "
                    + "commit relies on (H2 2.5.252 does; see H2StoreHeader)", e);
        }
    }

    /** Writes the header, pointing at the newest chunk written. */
    void write() {
        saveLock.lock();
        try {
            writeStoreHeader.invoke((RandomAccessStore) file);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot write H2's store header", e);
        } finally {
            saveLock.unlock();
        }
    }
}
