package io.pioreactor.leader.database;

import java.util.List;

/**
 * The schema, as numbered steps. {@code PRAGMA user_version} records how many have run; start-up runs
 * the rest in one transaction each. Never edit a released step: add a new one.
 */
final class Migrations {
  private Migrations() {}

  static final List<List<String>> STEPS = List.of(
      // 1: upstream's inventory tables, plus the worker's last known address.
      List.of(
          "CREATE TABLE workers (pioreactor_unit TEXT UNIQUE NOT NULL, added_at TEXT NOT NULL, model_name TEXT, "
              + "model_version TEXT, is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)), ipv4_address TEXT)",
          "CREATE TABLE experiments (experiment TEXT UNIQUE NOT NULL, created_at TEXT NOT NULL, description TEXT)",
          "CREATE TABLE experiment_worker_assignments (pioreactor_unit TEXT UNIQUE NOT NULL "
              + "REFERENCES workers (pioreactor_unit) ON DELETE CASCADE, experiment TEXT NOT NULL "
              + "REFERENCES experiments (experiment) ON DELETE CASCADE, assigned_at TEXT NOT NULL)",
          // History has no foreign key: it outlives a removed or renamed worker.
          "CREATE TABLE experiment_worker_assignments_history (pioreactor_unit TEXT NOT NULL, experiment TEXT NOT NULL, "
              + "assigned_at TEXT NOT NULL, unassigned_at TEXT)",
          "CREATE INDEX assignments_history_unit ON experiment_worker_assignments_history (pioreactor_unit)",
          "CREATE TRIGGER assignment_opened AFTER INSERT ON experiment_worker_assignments BEGIN "
              + "INSERT INTO experiment_worker_assignments_history (pioreactor_unit, experiment, assigned_at, unassigned_at) "
              + "VALUES (NEW.pioreactor_unit, NEW.experiment, NEW.assigned_at, NULL); END",
          "CREATE TRIGGER assignment_closed AFTER DELETE ON experiment_worker_assignments BEGIN "
              + "UPDATE experiment_worker_assignments_history SET unassigned_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
              + "WHERE pioreactor_unit = OLD.pioreactor_unit AND experiment = OLD.experiment "
              + "AND assigned_at = OLD.assigned_at AND unassigned_at IS NULL; END",
          "CREATE TABLE logs (timestamp TEXT NOT NULL, pioreactor_unit TEXT NOT NULL, experiment TEXT NOT NULL, "
              + "message TEXT NOT NULL, task TEXT, source TEXT, level TEXT)",
          "CREATE INDEX logs_unit ON logs (pioreactor_unit, timestamp)"),
      // 2: activity history: every job state change and setting the leader sees, keyed by unit name (no foreign
      // key), so it outlives a removed or renamed worker.
      List.of(
          "CREATE TABLE activity_history (at TEXT NOT NULL, pioreactor_unit TEXT NOT NULL, experiment TEXT NOT NULL, "
              + "job_name TEXT NOT NULL, attribute TEXT NOT NULL, value TEXT)",
          "CREATE INDEX activity_history_unit ON activity_history (pioreactor_unit, at)"),
      // 3: uploaded experiment profiles, kept as the text the user wrote.
      List.of(
          "CREATE TABLE experiment_profiles (experiment_profile_name TEXT UNIQUE NOT NULL, content TEXT NOT NULL, "
              + "description TEXT, uploaded_at TEXT NOT NULL)"));
}
