/**
 * Journal and snapshot plumbing: where the events of Colony's event-sourced actors go (H2 as the
 * embedded default, PostgreSQL in production, through akka-persistence-jdbc), and schema creation.
 * It holds no domain logic.
 */
package dev.colony.persistence;
