package dev.colony.runtime.http;

import dev.colony.actors.job.Job;
import dev.colony.actors.job.TaskSummary;
import dev.colony.actors.kernel.Brief;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The page of a job's tasks that {@code GET /jobs/ID?tasks=STATE&page=N&size=M} asks for: tasks in
 * one state or all (the default), page N from 0 (default 0) of M tasks (1 to 1,000, default 1,000),
 * in the order of the job's spec.
 */
record TaskPage(TaskSummary.TaskState state, int page, int size) {

    /** Highest page number accepted. */
    static final int MAX_PAGE = 1_000_000;

    /**
     * The page the query parameters name (each may be null).
     *
     * @throws IllegalArgumentException naming the parameter, its value and what it may be
     */
    static TaskPage parse(String tasks, String page, String size) {
        TaskSummary.TaskState state = null;
        if (tasks != null && !tasks.equalsIgnoreCase("all")) {
            state = Arrays.stream(TaskSummary.TaskState.values())
                    .filter(s -> s.name().equalsIgnoreCase(tasks)).findFirst().orElse(null);
            if (state == null) {
                throw new IllegalArgumentException("tasks '" + Brief.text(tasks) + "' is not one of all, " + Arrays.stream(
                        TaskSummary.TaskState.values()).map(s -> s.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));
            }
        }
        int p = number(page, 0);
        if (p < 0 || p > MAX_PAGE) {
            throw new IllegalArgumentException("page '" + Brief.text(page) + "' must be a number in 0.." + MAX_PAGE);
        }
        int s = number(size, Job.GetTasks.MOST);
        if (s < 1 || s > Job.GetTasks.MOST) {
            throw new IllegalArgumentException("size '" + Brief.text(size) + "' must be a number in 1.."
                    + Job.GetTasks.MOST);
        }
        return new TaskPage(state, p, s);
    }

    private static int number(String text, int absent) {
        if (text == null) {
            return absent;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
