-- Schema version 2: clusters of evaluations (convergent cluster). Applied on top of version 1.

-- One row per cluster found by a cluster run (kind 'cluster' in runs).
CREATE TABLE clusters (
  id              INTEGER PRIMARY KEY,
  run_id          INTEGER NOT NULL REFERENCES runs(id),
  number          INTEGER NOT NULL,        -- 0, 1, ... within the run
  size            INTEGER NOT NULL,
  stability       REAL,                    -- HDBSCAN excess of mass
  label           TEXT,                    -- the constant its members' limits are made of, or NULL
  label_relation  TEXT,                    -- relation JSON of the member that named it
  label_text      TEXT,                    -- that relation as text, with the member's formula
  identified      INTEGER NOT NULL DEFAULT 0,  -- members whose limit is identified over {1, label}
  centroid        TEXT,                    -- JSON: mean of each feature
  UNIQUE (run_id, number)
);

-- The members of each cluster, with the relation of their limit when it is identified.
CREATE TABLE cluster_members (
  cluster_id     INTEGER NOT NULL REFERENCES clusters(id),
  pcf_id         INTEGER NOT NULL REFERENCES pcfs(id),
  probability    REAL,                     -- HDBSCAN membership strength
  relation       TEXT,                     -- JSON, when identified
  relation_text  TEXT,
  digits         INTEGER,                  -- digits the relation holds to
  PRIMARY KEY (cluster_id, pcf_id)
) WITHOUT ROWID;
CREATE INDEX cluster_members_pcf ON cluster_members(pcf_id);
