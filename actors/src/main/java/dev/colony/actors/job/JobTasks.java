package dev.colony.actors.job;

import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.TimerScheduler;
import dev.colony.actors.task.Task;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A job's side of its tasks: sending a task its work ({@code Execute}), sending every unfinished
 * task its work again every {@code colony.jobs.redeliver-every} while the job runs, and cancelling
 * them when it fails. Used on the job entity's thread only.
 */
final class JobTasks {

    private final String jobId;
    private final Function<String, RecipientRef<Task.Command>> tasks;
    private final TimerScheduler<Job.Command> timers;
    private final Job.Command tick;
    private final Duration every;

    /** The tasks of job {@code jobId}; {@code tick} comes back through {@code timers} every {@code every}. */
    JobTasks(String jobId, Function<String, RecipientRef<Task.Command>> tasks, TimerScheduler<Job.Command> timers,
             Job.Command tick, Duration every) {
        this.jobId = jobId;
        this.tasks = tasks;
        this.timers = timers;
        this.tick = tick;
        this.every = every;
    }

    /**
     * Sends task {@code taskId} its work; {@code fresh} right after the event that released it
     * (with the attempt number that reserved), not when sent again.
     */
    void release(JobState state, String taskId, boolean fresh) {
        tasks.apply(Task.entityId(jobId, taskId)).tell(state.execute(taskId, fresh));
    }

    /** Sends every unfinished task its work again. */
    void releaseInFlight(JobState state) {
        state.inFlightTasks().forEach(id -> release(state, id, false));
    }

    /** From now on, the tick comes every {@code every}. */
    void redeliverPeriodically() {
        timers.startTimerWithFixedDelay(tick, every);
    }

    void stopRedelivering() {
        timers.cancel(tick);
    }

    /**
     * The tick: sends every unfinished task its work again. A live task ignores it; a task whose
     * entity was lost with a cluster member (tasks are not remembered entities) restarts from its
     * journal on another member and goes on, and a finished one whose report was lost reports again.
     */
    void onTick(JobState state) {
        if (state.phase() != JobStatus.Phase.RUNNING) {
            stopRedelivering();
        } else {
            releaseInFlight(state);
        }
    }

    /** Withdraws the tasks {@code taskIds}: the job failed. */
    void cancel(List<String> taskIds) {
        for (String id : taskIds) {
            tasks.apply(Task.entityId(jobId, id)).tell(new Task.CancelTask("job '" + jobId + "' failed"));
        }
    }
}
