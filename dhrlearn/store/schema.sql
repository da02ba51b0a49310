-- Base schema (version 1). Later changes are numbered files in migrations/,
-- applied in order by dhrlearn.store.db.migrate; never edit this file in place
-- once a database has been built from it.

CREATE SEQUENCE IF NOT EXISTS seq_case;
CREATE SEQUENCE IF NOT EXISTS seq_plan_version;
CREATE SEQUENCE IF NOT EXISTS seq_recommendation;
CREATE SEQUENCE IF NOT EXISTS seq_action;
CREATE SEQUENCE IF NOT EXISTS seq_warning;
CREATE SEQUENCE IF NOT EXISTS seq_import;

-- One DHR.
CREATE TABLE IF NOT EXISTS dhr_case (
    case_id           INTEGER PRIMARY KEY DEFAULT nextval('seq_case'),
    reference         VARCHAR NOT NULL,          -- as written: "Case No. 16"
    partnership       VARCHAR NOT NULL,          -- CSP
    area              VARCHAR,
    region            VARCHAR,
    year              INTEGER,                   -- year of death or review
    publication_date  DATE,
    is_demo           BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (partnership, reference)
);

-- One imported snapshot of a case's action plan.
CREATE TABLE IF NOT EXISTS plan_version (
    plan_version_id   INTEGER PRIMARY KEY DEFAULT nextval('seq_plan_version'),
    case_id           INTEGER NOT NULL REFERENCES dhr_case (case_id),
    as_of_date        DATE,                      -- review meeting or update date
    source_file       VARCHAR NOT NULL,
    sha256            VARCHAR NOT NULL,          -- of the file; same bytes twice = no-op
    format            VARCHAR NOT NULL,          -- csv | xlsx | docx | pdf | text
    importer_version  VARCHAR NOT NULL,
    imported_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (sha256, case_id)                     -- a tracker file may hold several cases
);

CREATE TABLE IF NOT EXISTS recommendation (
    recommendation_id INTEGER PRIMARY KEY DEFAULT nextval('seq_recommendation'),
    plan_version_id   INTEGER NOT NULL REFERENCES plan_version (plan_version_id),
    case_id           INTEGER NOT NULL REFERENCES dhr_case (case_id),
    number_raw        VARCHAR,
    number            VARCHAR,
    sort_key          VARCHAR,
    text              VARCHAR NOT NULL,
    level             VARCHAR,                   -- overview | single_agency | NULL
    scope_raw         VARCHAR,
    scope             VARCHAR,                   -- local | regional | national | NULL
    owning_agencies_raw VARCHAR,
    unplaced_text     VARCHAR,
    extra             JSON,                      -- unmapped columns, verbatim
    confidence        JSON,                      -- per field, 0..1
    src_file          VARCHAR NOT NULL,
    src_location      VARCHAR,
    src_rows          VARCHAR
);

CREATE TABLE IF NOT EXISTS action (
    action_id         INTEGER PRIMARY KEY DEFAULT nextval('seq_action'),
    recommendation_id INTEGER NOT NULL REFERENCES recommendation (recommendation_id),
    plan_version_id   INTEGER NOT NULL REFERENCES plan_version (plan_version_id),
    case_id           INTEGER NOT NULL REFERENCES dhr_case (case_id),
    seq               INTEGER NOT NULL,          -- order within its recommendation
    text              VARCHAR,
    lead_agency_raw   VARCHAR,
    named_lead        VARCHAR,                   -- PERSONAL DATA: never exported for publication
    target_date_raw   VARCHAR,
    target_date       DATE,                      -- end of the period written
    target_precision  VARCHAR NOT NULL,          -- day | month | quarter | season | year | none
    status_raw        VARCHAR,
    status            VARCHAR NOT NULL,          -- complete | in_progress | not_started | off_track | closed_other | unknown
    status_word       VARCHAR,                   -- the word that decided the status
    rag               VARCHAR,
    completion_date_raw VARCHAR,
    completion_date   DATE,
    update_text       VARCHAR,                   -- may name staff: PERSONAL DATA
    extra             JSON,
    confidence        JSON,
    src_file          VARCHAR NOT NULL,
    src_location      VARCHAR,
    src_rows          VARCHAR
);

-- Agencies named by a recommendation (owner) or an action (lead), one row each.
CREATE TABLE IF NOT EXISTS agency_link (
    recommendation_id INTEGER NOT NULL,
    action_id         INTEGER,                   -- NULL: the recommendation's owning agency
    case_id           INTEGER NOT NULL,
    plan_version_id   INTEGER NOT NULL,
    role              VARCHAR NOT NULL,          -- owner | lead
    agency_raw        VARCHAR NOT NULL,
    agency            VARCHAR,                   -- canonical name; NULL when unknown
    agency_type       VARCHAR,
    known             BOOLEAN NOT NULL
);

CREATE TABLE IF NOT EXISTS import_warning (
    warning_id        INTEGER PRIMARY KEY DEFAULT nextval('seq_warning'),
    plan_version_id   INTEGER NOT NULL,
    field             VARCHAR NOT NULL,
    message           VARCHAR NOT NULL,
    severity          VARCHAR NOT NULL,
    src_file          VARCHAR NOT NULL,
    src_location      VARCHAR,
    src_rows          VARCHAR
);

-- Every import attempt, including no-ops and failures: the import history.
CREATE TABLE IF NOT EXISTS import_log (
    import_id         INTEGER PRIMARY KEY DEFAULT nextval('seq_import'),
    file_name         VARCHAR NOT NULL,
    sha256            VARCHAR,
    outcome           VARCHAR NOT NULL,          -- imported | duplicate | failed
    message           VARCHAR,
    plan_version_id   INTEGER,
    attempted_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Themes matched at import (see dhrlearn.themes); re-tag rebuilds this table.
CREATE TABLE IF NOT EXISTS theme_match (
    case_id           INTEGER NOT NULL,
    plan_version_id   INTEGER NOT NULL,
    recommendation_id INTEGER NOT NULL,
    action_id         INTEGER,                   -- NULL: matched in the recommendation text
    axis              VARCHAR NOT NULL,          -- home_office | topic
    theme             VARCHAR NOT NULL,
    field             VARCHAR NOT NULL,          -- recommendation | action | update
    matched           VARCHAR NOT NULL           -- the words that matched, "; "-separated
);

-- Training-uptake evidence found in update text (see dhrlearn.themes).
CREATE TABLE IF NOT EXISTS uptake_evidence (
    case_id           INTEGER NOT NULL,
    plan_version_id   INTEGER NOT NULL,
    recommendation_id INTEGER NOT NULL,
    action_id         INTEGER,
    polarity          VARCHAR NOT NULL,          -- negative | positive | planned
    phrase            VARCHAR NOT NULL,          -- the words that matched
    snippet           VARCHAR NOT NULL           -- the sentence around them
);

-- Near-duplicate recommendations across cases (learning made again), rebuilt by re-tag.
CREATE TABLE IF NOT EXISTS recurring_member (
    group_id          INTEGER NOT NULL,
    recommendation_id INTEGER NOT NULL,
    case_id           INTEGER NOT NULL,
    similarity        DOUBLE NOT NULL            -- to the group's representative, 0..1
);

CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
