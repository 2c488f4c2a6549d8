package dev.colony.actors.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The output store seen job by job, for retention: which jobs have outputs here and since when,
 * and deleting all of one job's outputs (every node's directory of it), giving their bytes back to
 * the quota. Iterative; never follows links out of the store.
 */
public final class OutputSweep {

    private OutputSweep() {
    }

    /** Job id → when its outputs here last changed (epoch ms), for every job with outputs in {@code store}. */
    public static Map<String, Long> jobs(OutputStore store) {
        Map<String, Long> jobs = new HashMap<>();
        if (!store.storesFiles()) {
            return jobs;
        }
        try (DirectoryStream<Path> nodes = Files.newDirectoryStream(store.root(), Files::isDirectory)) {
            for (Path node : nodes) {
                try (DirectoryStream<Path> dirs = Files.newDirectoryStream(node, Files::isDirectory)) {
                    for (Path job : dirs) {
                        String id = URLDecoder.decode(job.getFileName().toString(), StandardCharsets.UTF_8);
                        jobs.merge(id, Files.getLastModifiedTime(job).toMillis(), Math::max);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the output store at " + store.root() + ": " + e.getMessage(), e);
        }
        return jobs;
    }

    /** Deletes every output of job {@code jobId} in {@code store}; returns the bytes freed. */
    public static long delete(OutputStore store, String jobId) {
        if (!store.storesFiles()) {
            return 0;
        }
        long freed = 0;
        String dirName = OutputStore.segment(jobId);
        try (DirectoryStream<Path> nodes = Files.newDirectoryStream(store.root(), Files::isDirectory)) {
            for (Path node : nodes) {
                Path job = node.resolve(dirName);
                if (Files.isDirectory(job, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    freed += deleteTree(job);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the outputs of job '" + jobId + "': " + e.getMessage(), e);
        }
        store.release(freed);
        return freed;
    }

    /** Deletes {@code dir} and everything under it, deepest first; returns the bytes of the files. */
    private static long deleteTree(Path dir) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(all::add);
        }
        long bytes = 0;
        for (int i = all.size() - 1; i >= 0; i--) {
            Path p = all.get(i);
            if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                bytes += Files.size(p);
            }
            Files.deleteIfExists(p);
        }
        return bytes;
    }
}
