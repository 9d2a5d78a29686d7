package io.pioreactor.leader.database;

/** Every SQL statement the leader runs, named, in one place. */
public final class SqlQueries {
  private SqlQueries() {}

  private static final String WORKER_COLUMNS =
      "w.pioreactor_unit, w.added_at, w.model_name, w.model_version, w.is_active, w.ipv4_address, "
          + "a.experiment, a.assigned_at";

  public static final String ALL_WORKERS =
      "SELECT " + WORKER_COLUMNS + " FROM workers w LEFT JOIN experiment_worker_assignments a "
          + "ON a.pioreactor_unit = w.pioreactor_unit ORDER BY w.pioreactor_unit";

  public static final String ONE_WORKER =
      "SELECT " + WORKER_COLUMNS + " FROM workers w LEFT JOIN experiment_worker_assignments a "
          + "ON a.pioreactor_unit = w.pioreactor_unit WHERE w.pioreactor_unit = ?";

  public static final String WORKERS_OF_EXPERIMENT =
      "SELECT " + WORKER_COLUMNS + " FROM workers w JOIN experiment_worker_assignments a "
          + "ON a.pioreactor_unit = w.pioreactor_unit WHERE a.experiment = ? ORDER BY w.pioreactor_unit";

  /** Inserts unless a worker of that name in any case exists (hostnames are case-insensitive): one statement, one winner. */
  public static final String INSERT_WORKER =
      "INSERT INTO workers (pioreactor_unit, added_at, model_name, model_version, is_active, ipv4_address) "
          + "SELECT ?, ?, ?, ?, 1, ? WHERE NOT EXISTS (SELECT 1 FROM workers WHERE pioreactor_unit = ? COLLATE NOCASE)";

  /** The worker whose name equals this one but for case (WORKER1 for worker1). */
  public static final String WORKER_NAMED_LIKE =
      "SELECT pioreactor_unit FROM workers WHERE pioreactor_unit = ? COLLATE NOCASE";

  public static final String DELETE_WORKER = "DELETE FROM workers WHERE pioreactor_unit = ?";

  public static final String SET_ACTIVE = "UPDATE workers SET is_active = ? WHERE pioreactor_unit = ?";

  public static final String SET_MODEL =
      "UPDATE workers SET model_name = ?, model_version = ? WHERE pioreactor_unit = ?";

  public static final String FILL_MISSING_MODELS =
      "UPDATE workers SET model_name = ?, model_version = ? WHERE model_name IS NULL OR model_version IS NULL";

  public static final String SET_IPV4 = "UPDATE workers SET ipv4_address = ? WHERE pioreactor_unit = ?";

  public static final String ALL_EXPERIMENTS =
      "SELECT e.experiment, e.created_at, e.description, "
          + "(SELECT COUNT(*) FROM experiment_worker_assignments a WHERE a.experiment = e.experiment) AS worker_count "
          + "FROM experiments e ORDER BY e.created_at DESC, e.experiment";

  public static final String ONE_EXPERIMENT =
      "SELECT e.experiment, e.created_at, e.description, "
          + "(SELECT COUNT(*) FROM experiment_worker_assignments a WHERE a.experiment = e.experiment) AS worker_count "
          + "FROM experiments e WHERE e.experiment = ?";

  /** Upstream's "latest": the most recently inserted experiment (rowid), not the newest created_at. */
  public static final String LATEST_EXPERIMENT =
      "SELECT e.experiment, e.created_at, e.description, "
          + "(SELECT COUNT(*) FROM experiment_worker_assignments a WHERE a.experiment = e.experiment) AS worker_count "
          + "FROM experiments e ORDER BY e.rowid DESC LIMIT 1";

  public static final String INSERT_EXPERIMENT =
      "INSERT INTO experiments (experiment, created_at, description) SELECT ?, ?, ? "
          + "WHERE NOT EXISTS (SELECT 1 FROM experiments WHERE experiment = ?)";

  public static final String DELETE_ASSIGNMENT_OF_WORKER =
      "DELETE FROM experiment_worker_assignments WHERE pioreactor_unit = ?";

  public static final String DELETE_ASSIGNMENT =
      "DELETE FROM experiment_worker_assignments WHERE pioreactor_unit = ? AND experiment = ?";

  public static final String DELETE_ASSIGNMENTS_OF_EXPERIMENT =
      "DELETE FROM experiment_worker_assignments WHERE experiment = ? RETURNING pioreactor_unit";

  /** Upstream's "unassign all workers": every assignment, of every experiment. */
  public static final String DELETE_ALL_ASSIGNMENTS =
      "DELETE FROM experiment_worker_assignments RETURNING pioreactor_unit, experiment";

  public static final String INSERT_ASSIGNMENT =
      "INSERT INTO experiment_worker_assignments (pioreactor_unit, experiment, assigned_at) VALUES (?, ?, ?)";

  public static final String ASSIGNMENT_HISTORY_OF_UNIT =
      "SELECT pioreactor_unit, experiment, assigned_at, unassigned_at FROM experiment_worker_assignments_history "
          + "WHERE pioreactor_unit = ? ORDER BY assigned_at";

  public static final String INSERT_LOG =
      "INSERT INTO logs (timestamp, pioreactor_unit, experiment, message, task, source, level) VALUES (?, ?, ?, ?, ?, ?, ?)";

  /** Retention: keep the newest N rows (by rowid, the order rows came in). */
  public static final String PRUNE_LOGS_TO_ROWS = "DELETE FROM logs WHERE rowid <= (SELECT MAX(rowid) FROM logs) - ?";
  public static final String PRUNE_LOGS_BEFORE = "DELETE FROM logs WHERE timestamp < ?";
  public static final String PRUNE_ACTIVITY_TO_ROWS =
      "DELETE FROM activity_history WHERE rowid <= (SELECT MAX(rowid) FROM activity_history) - ?";

  public static final String INSERT_ACTIVITY = "INSERT INTO activity_history (at, pioreactor_unit, experiment, job_name, attribute, value) "
      + "VALUES (?, ?, ?, ?, ?, ?)";
  public static final String ACTIVITY_OF_UNIT = "SELECT at, pioreactor_unit, experiment, job_name, attribute, value "
      + "FROM activity_history WHERE pioreactor_unit = ? ORDER BY rowid DESC LIMIT ?";

  public static final String UPSERT_PROFILE = "INSERT INTO experiment_profiles (experiment_profile_name, content, description, uploaded_at) "
      + "VALUES (?, ?, ?, ?) ON CONFLICT (experiment_profile_name) DO UPDATE SET content = excluded.content, "
      + "description = excluded.description, uploaded_at = excluded.uploaded_at";
  public static final String ALL_PROFILES = "SELECT experiment_profile_name, description, uploaded_at, content FROM experiment_profiles "
      + "ORDER BY experiment_profile_name";
  public static final String PROFILE_BY_NAME = "SELECT content FROM experiment_profiles WHERE experiment_profile_name = ?";

  public static final String INSERT_PROFILE_RUN =
      "INSERT INTO experiment_profile_runs (started_at, experiment_profile_name, experiment) VALUES (?, ?, ?)";
  public static final String PROFILE_RUNS_OF_EXPERIMENT = "SELECT started_at, experiment_profile_name, experiment "
      + "FROM experiment_profile_runs WHERE experiment = ? ORDER BY started_at DESC LIMIT 1000";

  public static final String UNIT_LABELS_OF_EXPERIMENT =
      "SELECT pioreactor_unit, label FROM pioreactor_unit_labels WHERE experiment = ? ORDER BY pioreactor_unit";
  public static final String UPSERT_UNIT_LABEL = "INSERT INTO pioreactor_unit_labels (label, experiment, pioreactor_unit, created_at) "
      + "VALUES (?, ?, ?, ?) ON CONFLICT (pioreactor_unit, experiment) DO UPDATE SET label = excluded.label, created_at = excluded.created_at";
  public static final String DELETE_UNIT_LABEL = "DELETE FROM pioreactor_unit_labels WHERE experiment = ? AND pioreactor_unit = ?";

  /** Upstream's historical_worker_assignments: every unit ever assigned, and whether it still is. */
  public static final String HISTORICAL_ASSIGNMENTS = "SELECT pioreactor_unit, experiment, MAX(unassigned_at IS NULL) AS current "
      + "FROM experiment_worker_assignments_history WHERE experiment = ? GROUP BY pioreactor_unit, experiment ORDER BY pioreactor_unit";

  public static final String UPSERT_PUBLISHED_SETTING = "INSERT INTO pio_job_published_settings "
      + "(pioreactor_unit, experiment, job_name, setting, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
      + "ON CONFLICT (pioreactor_unit, experiment, job_name, setting) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";

  // Whole-database copies (Snapshots): the leader's export, imports, backups.
  public static final String VACUUM_INTO = "VACUUM INTO ?";
  public static final String INTEGRITY_CHECK = "PRAGMA integrity_check";
  public static final String QUICK_CHECK = "PRAGMA quick_check";
  public static final String USER_VERSION = "PRAGMA user_version";
  public static final String COUNT_WORKERS = "SELECT count(*) FROM workers";
}
