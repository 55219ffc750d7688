/**
 * The sample files `--print-sample-config` prints: a source.yaml and a task.yaml a DBA can copy and edit.
 * Both parse with this package's parsers (tests make sure), use only keys DM accepts, and show the defaults
 * in comments.
 */

/** A sample source.yaml (one upstream MySQL/MariaDB). */
export function sampleSourceConfig(): string {
  return `# source.yaml: one upstream MySQL/MariaDB instance (or a primary/replica group).
# Load it with \`operate-source create source.yaml\`.

# Unique name of this source (at most 32 characters); tasks refer to it in mysql-instances[].source-id.
source-id: mysql-replica-01

# mysql (also Percona, Aurora, RDS) or mariadb; detected from the upstream when left out.
flavor: mysql

# server_id DM uses when it reads the binlog as a replica; a free random one is chosen when left out.
# Every replica of the upstream needs a different server id.
server-id: 101

# Follow the upstream by GTID (needs gtid_mode=ON on MySQL). Required to survive a primary/replica switch.
enable-gtid: false

# Deprecated since DM v2.0.2 (use start-relay); do not combine with enable-gtid on DM v2.0.1.
enable-relay: false
# relay-binlog-name: mysql-bin.000002   # where relay starts when enable-gtid is false (default: latest)
# relay-binlog-gtid: ""                 # where relay starts when enable-gtid is true (default: latest)
# relay-dir: relay-dir                  # relative to the worker's working directory

from:
  host: 127.0.0.1
  port: 3306
  user: root
  # plaintext, or the output of \`dm encrypt <password>\` (here: 123456 encrypted)
  password: 79+VOd/b3Rd96arPAWz/zkD1xirR5ZA=
  # session: {}                         # session variables for every upstream connection
  # security:                           # TLS: files must be readable on every master and worker host
  #   ssl-ca: /path/to/ca.pem
  #   ssl-cert: /path/to/client-cert.pem
  #   ssl-key: /path/to/client-key.pem

# Relay log purge (seconds / hours / GB). Purging runs when interval != 0 and expires or remain-space != 0.
# purge:
#   interval: 3600
#   expires: 0
#   remain-space: 15

# Automatic resume of paused tasks.
# checker:
#   check-enable: true
#   backoff-rollback: 5m
#   backoff-max: 5m

# Source-level binlog event filters (same fields as task.yaml filters), applied to every task of this source.
# case-sensitive: false
# filters:
#   - schema-pattern: "*"
#     sql-pattern: ["^ALTER\\\\s+EVENT"]
#     action: Ignore
`;
}

/** A sample task.yaml (a shard merge of two schemas from one source into one downstream table). */
export function sampleTaskConfig(): string {
  return `# task.yaml: one migration task. Check it with \`check-task task.yaml\`, run it with \`start-task task.yaml\`.

name: test                       # unique among running tasks
task-mode: all                   # full (dump + load) | incremental (binlog only) | all (full, then incremental)
shard-mode: ""                   # "" | pessimistic | optimistic: set it only when merging sharded tables
meta-schema: dm_meta             # downstream schema holding checkpoints
case-sensitive: false            # false: schema/table names in rules match case-insensitively
online-ddl: false                # true: handle gh-ost / pt-osc ghost tables
ignore-checking-items: []        # precheck items to skip, e.g. ["auto_increment_ID"]
clean-dump-file: true            # delete the dump files once loaded

target-database:
  host: 127.0.0.1
  port: 4000
  user: root
  password: ""                   # plaintext, or the output of \`dm encrypt <password>\`
  # max-allowed-packet: 67108864 # default: the downstream's max_allowed_packet
  # session: {}                  # session variables (time_zone is always +00:00)
  # security: {ssl-ca: "", ssl-cert: "", ssl-key: ""}

mysql-instances:
  - source-id: mysql-replica-01  # a source created with operate-source
    # meta:                      # start point, used only by task-mode incremental
    #   binlog-name: mysql-bin.000001
    #   binlog-pos: 4
    #   binlog-gtid: ""
    block-allow-list: ba-rule-1
    route-rules: [route-schema, route-table]
    filter-rules: [filter-rule-1]
    mydumper-config-name: global   # or an inline "mydumper: {...}" block; mydumper-thread: 4 overrides threads
    loader-config-name: global     # or "loader: {...}"; loader-thread: 16 overrides pool-size
    syncer-config-name: global     # or "syncer: {...}"; syncer-thread: 16 overrides worker-count

block-allow-list:
  ba-rule-1:
    do-dbs: ["~^shard_[0-9]+$"]    # "~" starts a regular expression; otherwise * ? [a-z] wildcards
    # ignore-dbs: []
    # do-tables: [{db-name: "shard_*", tbl-name: "orders"}]
    # ignore-tables: []

routes:
  route-schema:
    schema-pattern: "shard_*"
    target-schema: shop
  route-table:
    schema-pattern: "shard_*"
    table-pattern: "orders"
    target-schema: shop
    target-table: orders

filters:
  filter-rule-1:
    schema-pattern: "shard_*"
    events: ["truncate table", "drop table", "drop database"]
    action: Ignore

mydumpers:
  global:
    threads: 4
    chunk-filesize: 64           # MiB
    rows: 0                      # 0: 200000 rows per chunk
    statement-size: 0            # 0: 1000000 bytes
    extra-args: ""

loaders:
  global:
    pool-size: 16
    dir: ./dumped_data           # ".<task name>" is appended

syncers:
  global:
    worker-count: 16
    batch: 100
    safe-mode: false
    # compact: false
    # multiple-rows: false
`;
}
