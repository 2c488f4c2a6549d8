package dev.colony.actors.task;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.typed.PersistenceId;
import dev.colony.actors.JournalGuard;
import dev.colony.actors.job.Job;
import dev.colony.actors.job.TaskSummary;

/** What a task whose journal cannot be read becomes: it tells its job it failed, naming the persistence id. */
final class UnreadableTask {

    private UnreadableTask() {
    }

    static Behavior<Task.Command> create(String key, PersistenceId pid, Throwable cause, TaskDeps deps) {
        int slash = key.lastIndexOf('/');
        String jobId = key.substring(0, Math.max(slash, 0));
        String taskId = key.substring(slash + 1);
        String reason = "cannot run: the journal of task '" + taskId + "' (persistence id " + pid.id()
                + ") cannot be read: " + JournalGuard.describe(cause);
        TaskSummary failed = TaskSummary.PENDING.withState(TaskSummary.TaskState.FAILED);
        return Behaviors.receiveMessage(msg -> {
            if (msg instanceof Task.Execute) {
                deps.jobs().apply(jobId).tell(new Job.TaskFailed(taskId, reason, failed));
            }
            return msg instanceof Task.HandOff ? Behaviors.stopped() : Behaviors.same();
        });
    }
}
