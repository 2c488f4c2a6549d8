/**
 * Journal and snapshot plumbing: where the events of Colony's event-sourced actors go (H2 as the
 * embedded default, PostgreSQL in production, through akka-persistence-jdbc), schema creation, and
 * how a write is known to be in the file (H2's group commit in the process that holds the file, and
 * for the other processes of its host when it serves the journal to them). It holds no domain logic.
 */
package dev.colony.persistence;
