package dev.colony.actors.task;

import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.ShardingMessageExtractor;

/**
 * Puts task entity {@code jobId/taskId} on its job's shard id (the shard Akka's default extractor
 * gives the job id), so that, placed by {@link dev.colony.actors.ShardPlacement} where its job
 * first sends to it, a job's tasks live in its process.
 */
public final class TaskShards extends ShardingMessageExtractor<ShardingEnvelope<Task.Command>, Task.Command> {

    private final int shards;

    /** Over {@code shards} shards (akka.cluster.sharding.number-of-shards, as for jobs). */
    public TaskShards(int shards) {
        this.shards = shards;
    }

    @Override
    public String entityId(ShardingEnvelope<Task.Command> envelope) {
        return envelope.entityId();
    }

    @Override
    public String shardId(String entityId) {
        return ShardRegion.HashCodeMessageExtractor$.MODULE$.shardId(Task.jobIdOf(entityId), shards);
    }

    @Override
    public Task.Command unwrapMessage(ShardingEnvelope<Task.Command> envelope) {
        return envelope.message();
    }
}
