package dev.colony.persistence;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.mvstore.Chunk;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.Page;

/**
 * Frees the chunks H2 keeps for pages it forgot were replaced. Under Colony's load H2 2.5.252
 * sometimes does not count a replaced leaf of a table or index as removed: its chunk then keeps a
 * "live" page that no root reaches, is never freed, and H2's compaction cannot move the page (it
 * rewrites a page only where the tree still has it). In a soak's file every page H2 counted live in
 * chunks older than 10 s was such a page (1–4 per chunk, of {@code event_journal} or
 * {@code colony_ended}), and the file grew with the run: 374 MiB at the 50,000th job, 201 MiB with
 * these sweeps (README, Durability).
 *
 * <p>Each {@link #sweep} looks at the pages H2 counts as live in chunks older than {@code minAgeMs}
 * and finds those no root reaches (searching each page's first key from the map's root); a page
 * found so in two sweeps in a row, still counted live, and not among the removals H2 has queued,
 * is counted removed at the current version, as H2 does when it replaces a page. A page replaced
 * in between has long been counted by then (H2 counts a removal at the next store), so nothing is
 * counted twice; and like any removal, the chunk is freed only once no open version can read it.
 * Uses H2's internals (pinned version; a newer H2 that changes them fails at start-up).
 */
final class H2Leaks {

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private final MVStore store;
    private final FileStore<?> file;
    private final long minAgeMs;
    private final Map<Integer, ? extends Chunk<?>> chunks;
    private final ReentrantLock serializationLock;
    private final Queue<?> removedPages;
    private final MethodHandle toc;
    private final MethodHandle readPage;
    private final MethodHandle binarySearch;
    private final VarHandle occupancy;
    private final VarHandle pageCount;
    private final VarHandle removedPageInfo;
    private Set<Long> suspects = Set.of(); // positions found unreachable by the previous sweep
    private volatile long freed;

    @SuppressWarnings("unchecked")
    H2Leaks(MVStore store, long minAgeMs) {
        this.store = store;
        this.file = store.getFileStore();
        this.minAgeMs = minAgeMs;
        try {
            var fileStore = MethodHandles.privateLookupIn(FileStore.class, LOOKUP);
            this.chunks = (Map<Integer, ? extends Chunk<?>>) fileStore.findVarHandle(FileStore.class, "chunks",
                    java.util.concurrent.ConcurrentHashMap.class).get(file);
            this.serializationLock = (ReentrantLock) fileStore.findVarHandle(FileStore.class, "serializationLock",
                    ReentrantLock.class).get(file);
            this.removedPages = (Queue<?>) fileStore.findVarHandle(FileStore.class, "removedPages", Queue.class)
                    .get(file);
            this.toc = fileStore.findVirtual(FileStore.class, "getToC", MethodType.methodType(long[].class, Chunk.class));
            this.readPage = MethodHandles.privateLookupIn(MVMap.class, LOOKUP).findVirtual(MVMap.class, "readPage",
                    MethodType.methodType(Page.class, long.class));
            this.binarySearch = MethodHandles.privateLookupIn(Page.class, LOOKUP).findVirtual(Page.class,
                    "binarySearch", MethodType.methodType(int.class, Object.class));
            var chunk = MethodHandles.privateLookupIn(Chunk.class, LOOKUP);
            this.occupancy = chunk.findVarHandle(Chunk.class, "occupancy", BitSet.class);
            this.pageCount = chunk.findVarHandle(Chunk.class, "pageCount", int.class);
            Class<?> info = Class.forName(FileStore.class.getName() + "$RemovedPageInfo");
            this.removedPageInfo = MethodHandles.privateLookupIn(info, LOOKUP).findVarHandle(info, "removedPageInfo",
                    long.class);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("this H2 version does not have the chunk internals Colony's H2 journal "
                    + "relies on (H2 2.5.252 does; see H2Leaks)", e);
        }
    }

    /** Pages counted removed by all sweeps so far; any thread. */
    long freed() {
        return freed;
    }

    /** Counts removed the pages found unreachable by this sweep and the previous one; returns how many. */
    int sweep() throws Throwable {
        List<long[]> live = livePagesOfOldChunks(); // {pos, chunk id, page no, map id}
        Set<Long> unreachable = new HashSet<>();
        for (long[] p : live) {
            if (!reachable((int) p[3], p[0])) {
                unreachable.add(p[0]);
            }
        }
        List<long[]> confirmed = new ArrayList<>();
        for (long[] p : live) {
            if (unreachable.contains(p[0]) && suspects.contains(p[0])) {
                confirmed.add(p);
            }
        }
        suspects = unreachable;
        return confirmed.isEmpty() ? 0 : countRemoved(confirmed);
    }

    /** Positions, chunk ids, page numbers and map ids of the pages counted live in chunks older than {@code minAgeMs}. */
    private List<long[]> livePagesOfOldChunks() throws Throwable {
        List<long[]> pages = new ArrayList<>();
        serializationLock.lock(); // no store changes the counts meanwhile
        try {
            long newest = 0;
            for (Chunk<?> c : chunks.values()) {
                newest = Math.max(newest, c.time);
            }
            for (Chunk<?> c : chunks.values()) {
                BitSet dead = (BitSet) occupancy.get(c);
                int count = (int) pageCount.get(c);
                if (newest - c.time < minAgeMs || dead == null || dead.cardinality() >= count) {
                    continue;
                }
                long[] offsets = (long[]) toc.invoke(file, c);
                for (int no = dead.nextClearBit(0); no < count; no = dead.nextClearBit(no + 1)) {
                    int mapId = DataUtils.getPageMapId(offsets[no]);
                    if (mapId != 0) { // not H2's layout map
                        pages.add(new long[] {DataUtils.composePagePos(c.id, offsets[no]), c.id, no, mapId});
                    }
                }
            }
        } finally {
            serializationLock.unlock();
        }
        return pages;
    }

    /** Whether the current root of map {@code mapId} reaches its page at {@code pos}; true when that cannot be told. */
    @SuppressWarnings("unchecked")
    private boolean reachable(int mapId, long pos) throws Throwable {
        MVMap<Object, Object> map = store.getMap(mapId);
        String name = map == null ? null : store.getMapName(mapId);
        if (name == null || !(name.startsWith("table.") || name.startsWith("index.")) || map.isClosed()) {
            return true; // only the tables' and indexes' maps are looked at
        }
        Page<Object, Object> page;
        try {
            page = (Page<Object, Object>) readPage.invoke(map, pos);
        } catch (MVStoreException e) {
            return true; // its chunk was freed (its pages replaced) since the pages were listed
        }
        if (page.getKeyCount() == 0) {
            return true;
        }
        Object key = page.getKey(0);
        Page<Object, Object> p = map.getRootPage();
        while (true) {
            if (p.getPos() == pos) {
                return true;
            }
            if (p.isLeaf()) {
                return false;
            }
            int i = (int) binarySearch.invoke(p, key);
            p = p.getChildPage(i < 0 ? -i - 1 : i + 1);
        }
    }

    /** Counts removed each of {@code pages} still counted live and not queued for removal by H2. */
    private int countRemoved(Collection<long[]> pages) throws Throwable {
        int n = 0;
        serializationLock.lock();
        try {
            Set<Long> queued = new HashSet<>();
            for (Object r : removedPages) {
                long info = (long) removedPageInfo.get(r);
                queued.add(((long) DataUtils.getPageChunkId(info) << 32) | DataUtils.getPageOffset(info));
            }
            long version = store.getCurrentVersion();
            for (long[] p : pages) {
                Chunk<?> c = chunks.get((int) p[1]);
                if (c == null || ((BitSet) occupancy.get(c)).get((int) p[2]) || queued.contains((p[1] << 32) | p[2])) {
                    continue; // freed, or counted removed since, or about to be
                }
                file.accountForRemovedPage(p[0], version, false, (int) p[2]);
                n++;
            }
        } finally {
            serializationLock.unlock();
        }
        freed += n;
        return n;
    }
}
