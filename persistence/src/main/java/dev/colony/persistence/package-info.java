/**
 * Journal and snapshot plumbing: where the events of Colony's event-sourced actors go (H2 as the
 * embedded default, PostgreSQL in production), schema creation and recovery tooling. It holds no
 * domain logic. The module is empty until durable jobs land; the job and task entities already
 * keep their state as immutable records changed only by events so that step stays small.
 */
package dev.colony.persistence;
