-- Convergent database, schema version 1 (PRAGMA user_version = 1); migrate_K.sql bring it to K.
-- Readable with the plain sqlite3 shell. Rows are written in one transaction per work unit
-- with INSERT ... ON CONFLICT DO NOTHING, so re-running or merging never duplicates a row.

-- One row per invocation that wrote to the database (eval, search, esma, blind, ...).
CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  uid           TEXT    NOT NULL UNIQUE,   -- random 128-bit hex: identifies the run across merges
  kind          TEXT    NOT NULL,          -- eval | search | esma | blind | ...
  params        TEXT    NOT NULL,          -- canonical JSON of the parameters that define the work
  params_hash   TEXT    NOT NULL,          -- FNV-1a 64 of params: same search <=> same hash
  version       TEXT    NOT NULL,          -- convergent version that wrote it
  host          TEXT,
  started_at    TEXT    NOT NULL,          -- UTC, ISO 8601
  finished_at   TEXT,
  wall_seconds  REAL,
  cpu_seconds   REAL,
  units_total   INTEGER,                   -- work units in the whole run (all shards)
  status        TEXT    NOT NULL DEFAULT 'running'  -- running | finished | interrupted
);
CREATE INDEX runs_params ON runs(kind, params_hash);

-- Each PCF once, keyed by its canonical ascending coefficient lists.
CREATE TABLE pcfs (
  id      INTEGER PRIMARY KEY,
  a       TEXT    NOT NULL,   -- "[5,27,51,34]"
  b       TEXT    NOT NULL,   -- "[0,0,0,0,0,0,-1]"
  a_expr  TEXT    NOT NULL,   -- "34n^3+51n^2+27n+5"
  b_expr  TEXT    NOT NULL,   -- "-n^6"
  a_deg   INTEGER NOT NULL,
  b_deg   INTEGER NOT NULL,
  UNIQUE (a, b)
);

-- A PCF evaluated at a depth: its value and convergence metrics (NULL where not computed).
-- Keyed by (pcf, depth, limit): one B-tree, so bulk inserts of blind runs stay fast.
CREATE TABLE evaluations (
  pcf_id            INTEGER NOT NULL REFERENCES pcfs(id),
  run_id            INTEGER NOT NULL REFERENCES runs(id),
  depth             INTEGER NOT NULL,
  converges         INTEGER NOT NULL,    -- 0 | 1
  digits            INTEGER NOT NULL,    -- certain significant digits of value
  value_approx      REAL,                -- the value as a double, for sorting and plots
  limit_source      TEXT    NOT NULL,    -- none | given:EXPR | constant:NAME | blind
  limit_depth       INTEGER,             -- depth of the convergent used as the limit (blind)
  delta             REAL,                -- irrationality measure at depth (DESIGN.md)
  delta_trajectory  TEXT,                -- JSON [[n, delta], ...]
  rate              REAL,                -- correct digits per term
  convergence       TEXT,                -- exponential | factorial | polynomial | exact | none | ...
  fr_k              REAL,                -- ln gcd(p_n, q_n) / (n ln n - n) at depth
  fr_stable         INTEGER,             -- 0 | 1
  growth_nlogn      REAL,                -- ln q'_n ~ growth_nlogn * n ln n + growth_n * n
  growth_n          REAL,
  value             TEXT,                -- those digits (truncated), NULL if none; the last column:
                                         -- thousands of digits spill to overflow pages, and SQLite
                                         -- walks them to reach any column stored after them
  PRIMARY KEY (pcf_id, depth, limit_source)
) WITHOUT ROWID;
CREATE INDEX evaluations_run ON evaluations(run_id);

-- A formula: the PCF's value equals a relation in a constant, verified at a depth.
CREATE TABLE conjectures (
  id                  INTEGER PRIMARY KEY,
  pcf_id              INTEGER NOT NULL REFERENCES pcfs(id),
  run_id              INTEGER NOT NULL REFERENCES runs(id),
  method              TEXT    NOT NULL,   -- mitm | esma | blind | identify
  constant            TEXT    NOT NULL,   -- canonical constant expression: pi, zeta3, pi*log2
  relation            TEXT    NOT NULL,   -- DESIGN.md relation JSON
  relation_text       TEXT    NOT NULL,   -- (c0 + c1*pi)/(d0 + d1*pi)
  digits_matched      INTEGER NOT NULL,   -- digits to which the relation holds
  verification_depth  INTEGER NOT NULL,
  certified_digits    INTEGER,            -- certain digits of the PCF value at that depth
  delta               REAL,
  rate                REAL,
  convergence         TEXT,
  status              TEXT    NOT NULL,   -- verified | candidate
  family              TEXT,               -- key of the equivalence class of the PCF
  UNIQUE (pcf_id, constant, relation_text)
);
CREATE INDEX conjectures_constant ON conjectures(constant);

-- Numbered work units of a run: a unit is done when its rows are committed.
CREATE TABLE work_units (
  run_id       INTEGER NOT NULL REFERENCES runs(id),
  unit         INTEGER NOT NULL,
  state        TEXT    NOT NULL,          -- done
  items        INTEGER,                   -- PCFs (or candidates) the unit covered
  candidates   INTEGER,
  conjectures  INTEGER,
  seconds      REAL,
  finished_at  TEXT,
  PRIMARY KEY (run_id, unit)
) WITHOUT ROWID;
