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
              + "description TEXT, uploaded_at TEXT NOT NULL)"),
      // 4: what jobs measure, in upstream's tables and columns, timestamped by the unit. No foreign keys: readings
      // outlive a removed or renamed worker, and a deleted experiment's data is deleted on purpose, not by cascade.
      // Every table is indexed as upstream's time-series queries read it: experiment, unit, time.
      List.of(
          "CREATE TABLE od_readings (experiment TEXT NOT NULL, pioreactor_unit TEXT NOT NULL, timestamp TEXT NOT NULL, "
              + "od_reading REAL NOT NULL, angle INTEGER NOT NULL, channel INTEGER CHECK (channel IN (1, 2, 3, 4)) NOT NULL)",
          "CREATE INDEX od_readings_ix ON od_readings (experiment, pioreactor_unit, channel, timestamp)",
          "CREATE TABLE od_readings_filtered (experiment TEXT NOT NULL, pioreactor_unit TEXT NOT NULL, timestamp TEXT NOT NULL, "
              + "normalized_od_reading REAL NOT NULL)",
          "CREATE INDEX od_readings_filtered_ix ON od_readings_filtered (experiment, pioreactor_unit, timestamp)",
          "CREATE TABLE growth_rates (experiment TEXT NOT NULL, pioreactor_unit TEXT NOT NULL, timestamp TEXT NOT NULL, "
              + "rate REAL NOT NULL)",
          "CREATE INDEX growth_rates_ix ON growth_rates (experiment, pioreactor_unit, timestamp)",
          "CREATE TABLE temperature_readings (experiment TEXT NOT NULL, pioreactor_unit TEXT NOT NULL, timestamp TEXT NOT NULL, "
              + "temperature_c REAL NOT NULL)",
          "CREATE INDEX temperature_readings_ix ON temperature_readings (experiment, pioreactor_unit, timestamp)",
          "CREATE TABLE stirring_rates (experiment TEXT NOT NULL, pioreactor_unit TEXT NOT NULL, timestamp TEXT NOT NULL, "
              + "measured_rpm REAL NOT NULL)",
          "CREATE INDEX stirring_rates_ix ON stirring_rates (experiment, pioreactor_unit, timestamp)",
          "CREATE TABLE led_change_events (experiment TEXT NOT NULL, pioreactor_unit TEXT NOT NULL, timestamp TEXT NOT NULL, "
              + "channel TEXT CHECK (channel IN ('A', 'B', 'C', 'D')) NOT NULL, intensity REAL NOT NULL, source_of_event TEXT)",
          "CREATE INDEX led_change_events_ix ON led_change_events (experiment, pioreactor_unit, channel, timestamp)",
          "CREATE TABLE dosing_events (experiment TEXT NOT NULL, pioreactor_unit TEXT NOT NULL, timestamp TEXT NOT NULL, "
              + "event TEXT NOT NULL, volume_change_ml REAL NOT NULL, source_of_event TEXT)",
          "CREATE INDEX dosing_events_ix ON dosing_events (experiment, pioreactor_unit, timestamp)",
          // The last value of each setting a job published, per unit and experiment (upstream keeps this per unit, in
          // each unit's job metadata; the leader keeps the cluster's). The changes are in activity_history.
          "CREATE TABLE pio_job_published_settings (pioreactor_unit TEXT NOT NULL, experiment TEXT NOT NULL, "
              + "job_name TEXT NOT NULL, setting TEXT NOT NULL, value TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
              + "UNIQUE (pioreactor_unit, experiment, job_name, setting))",
          "CREATE TABLE pioreactor_unit_labels (experiment TEXT NOT NULL, pioreactor_unit TEXT NOT NULL, label TEXT NOT NULL, "
              + "created_at TEXT NOT NULL, UNIQUE (pioreactor_unit, experiment), UNIQUE (label, experiment))",
          "CREATE TABLE experiment_profile_runs (started_at TEXT NOT NULL, experiment_profile_name TEXT NOT NULL, experiment TEXT)",
          "CREATE INDEX experiment_profile_runs_ix ON experiment_profile_runs (experiment)",
          "CREATE INDEX logs_experiment ON logs (experiment, timestamp)"),
      // 5: every version of the cluster configuration, upstream's table and keys: filename 'config.ini' for the shared
      // one, 'unit_config.ini::<unit>' for a unit's specific one; the newest row of a filename is the current text.
      List.of(
          "CREATE TABLE config_files_histories (timestamp TEXT NOT NULL, filename TEXT NOT NULL, data TEXT NOT NULL)",
          "CREATE INDEX config_files_histories_ix ON config_files_histories (filename, timestamp)"));
}
