/**
 * Decoded binlog events. Every event keeps its header, where it came from (file, start offset) and its
 * raw bytes (header + body + checksum), so the relay log can write it back unchanged.
 *
 * Row events are decoded in two steps: the event decoder parses the rows-event header and keeps a view of
 * the row data; `decodeRows` (row-decoder.ts) turns that into values with a caller-supplied schema.
 */
import type { Row, RowChange } from './row-value.js';

export interface EventHeader {
  /** Seconds since the epoch when the statement began on the source. */
  readonly timestamp: number;
  readonly typeCode: number;
  readonly serverId: number;
  /** Total size of the event including header and checksum. */
  readonly eventSize: number;
  /** End position of this event in its binlog file (0 for artificial events in a stream). */
  readonly logPos: number;
  readonly flags: number;
}

export interface EventCommon {
  readonly header: EventHeader;
  /** Event type name, e.g. `WRITE_ROWS_V2`, `MARIADB_GTID`. */
  readonly type: string;
  /** Binlog file the event belongs to, when known. */
  readonly file: string;
  /** Start offset of the event in its file (log_pos - event_size for real events). */
  readonly offset: number;
  /** The whole event as read: header, body, checksum. A view; copy it to keep it beyond the read buffer. */
  readonly raw: Buffer;
  /** CRC32 from the event's trailer, when the binlog uses checksums (already verified). */
  readonly checksum?: number | undefined;
}

export interface FormatDescriptionBody {
  readonly kind: 'format_description';
  readonly binlogVersion: number;
  readonly serverVersion: string;
  readonly createTimestamp: number;
  readonly headerLength: number;
  /** Post-header length of each event type, indexed by type code - 1. */
  readonly postHeaderLengths: readonly number[];
  /** 0 = none, 1 = CRC32; undefined for servers older than 5.6.1 / MariaDB 5.3 (no checksum field). */
  readonly checksumAlg: number | undefined;
  readonly flavor: 'mysql' | 'mariadb';
}

export interface RotateBody {
  readonly kind: 'rotate';
  readonly position: number;
  readonly nextFile: string;
  /** A rotate the server sends at the start of a dump stream (not written to the file). */
  readonly fake: boolean;
}

export interface QueryStatusVars {
  flags2?: number;
  sqlMode?: bigint;
  catalog?: string;
  autoIncrementIncrement?: number;
  autoIncrementOffset?: number;
  /** character_set_client, collation_connection, collation_server ids. */
  charset?: { client: number; connection: number; server: number };
  timeZone?: string;
  lcTimeNamesNumber?: number;
  charsetDatabaseNumber?: number;
  tableMapForUpdate?: bigint;
  masterDataWritten?: number;
  invoker?: { user: string; host: string };
  updatedDbNames?: string[];
  microseconds?: number;
  commitTs?: bigint;
  explicitDefaultsTs?: boolean;
  ddlLoggedWithXid?: bigint;
  defaultCollationForUtf8mb4?: number;
  sqlRequirePrimaryKey?: number;
  defaultTableEncryption?: number;
  /** MariaDB: XID of a DDL, `Q_XID`. */
  xid?: bigint;
  /** MariaDB: hr time `Q_HRNOW` microseconds part. */
  hrnow?: number;
}

export interface QueryBody {
  readonly kind: 'query';
  readonly threadId: number;
  readonly execTime: number;
  readonly errorCode: number;
  /** Default database (`USE db`) when the statement ran; may be empty. */
  readonly schema: string;
  readonly query: string;
  readonly statusVars: QueryStatusVars;
  /** MariaDB QUERY_COMPRESSED_EVENT. */
  readonly compressed?: boolean;
}

export interface XidBody {
  readonly kind: 'xid';
  readonly xid: bigint;
}

export interface TableMapOptionalMetadata {
  /** Per numeric column (in column order, numeric columns only), whether it is UNSIGNED. */
  signedness?: boolean[];
  defaultCharset?: { defaultCollation: number; overrides: Array<[columnIndex: number, collation: number]> };
  /** Collation id per character column. */
  columnCharsets?: number[];
  columnNames?: string[];
  setValues?: string[][];
  enumValues?: string[][];
  geometryTypes?: number[];
  simplePrimaryKey?: number[];
  primaryKeyWithPrefix?: Array<[columnIndex: number, prefixLength: number]>;
  enumAndSetDefaultCharset?: { defaultCollation: number; overrides: Array<[columnIndex: number, collation: number]> };
  enumAndSetColumnCharsets?: number[];
  columnVisibility?: boolean[];
}

export interface TableMapBody {
  readonly kind: 'table_map';
  readonly tableId: number;
  readonly flags: number;
  readonly schema: string;
  readonly table: string;
  readonly columnCount: number;
  readonly columnTypes: readonly number[];
  readonly columnMeta: readonly number[];
  readonly nullBitmap: Buffer;
  readonly optionalMetadata: TableMapOptionalMetadata;
}

export type RowsAction = 'insert' | 'update' | 'delete';

export interface RowsBody {
  readonly kind: 'rows';
  readonly action: RowsAction;
  /** 0 = pre-GA (5.1.0–5.1.15), 1, 2. */
  readonly version: 0 | 1 | 2;
  /** MySQL PARTIAL_UPDATE_ROWS_EVENT (JSON partial updates). */
  readonly partial: boolean;
  /** MariaDB compressed rows events (the row data here is already decompressed). */
  readonly compressed: boolean;
  readonly tableId: number;
  readonly flags: number;
  /** v2 extra row info, raw. */
  readonly extraData: Buffer | undefined;
  readonly columnCount: number;
  /** Columns present in the (before) image. */
  readonly columnsPresent: Buffer;
  /** Columns present in the after image (UPDATE only). */
  readonly columnsPresentAfter: Buffer | undefined;
  /** The row images, undecoded. */
  readonly rowsData: Buffer;
}

export interface MysqlGtidBody {
  readonly kind: 'gtid';
  readonly anonymous: boolean;
  /** GTID_FLAG_MAY_HAVE_SBR / commit flag byte. */
  readonly flags: number;
  /** Source UUID, lower-case with dashes. */
  readonly sid: string;
  /** Tag of a tagged GTID (MySQL 8.3+), else undefined. */
  readonly tag: string | undefined;
  readonly gno: bigint;
  /** `uuid:gno` or `uuid:tag:gno`; `ANONYMOUS` for anonymous GTIDs. */
  readonly gtid: string;
  readonly lastCommitted?: bigint;
  readonly sequenceNumber?: bigint;
  readonly immediateCommitTimestamp?: bigint;
  readonly originalCommitTimestamp?: bigint;
  readonly transactionLength?: bigint;
  readonly immediateServerVersion?: number;
  readonly originalServerVersion?: number;
}

export interface PreviousGtidsBody {
  readonly kind: 'previous_gtids';
  /** The MySQL GTID set, formatted (`uuid:1-5,uuid2:1-3`). */
  readonly gtidSet: string;
}

export interface TransactionPayloadBody {
  readonly kind: 'transaction_payload';
  /** 0 = zstd, 255 = none. */
  readonly compressionType: number;
  readonly payloadSize: number;
  readonly uncompressedSize: number;
  /** The events inside the payload, decoded (they have no checksum of their own). */
  readonly events: BinlogEvent[];
}

export interface RowsQueryBody {
  readonly kind: 'rows_query';
  readonly query: string;
}

export interface HeartbeatBody {
  readonly kind: 'heartbeat';
  readonly version: 1 | 2;
  readonly logFile: string;
  /** Position the heartbeat refers to (header log_pos for v1, the TLV field for v2). */
  readonly logPos: number;
}

export interface IntvarBody {
  readonly kind: 'intvar';
  /** 1 = LAST_INSERT_ID, 2 = INSERT_ID. */
  readonly subtype: number;
  readonly subtypeName: 'LAST_INSERT_ID' | 'INSERT_ID' | 'INVALID';
  readonly value: bigint;
}

export interface RandBody {
  readonly kind: 'rand';
  readonly seed1: bigint;
  readonly seed2: bigint;
}

export interface UserVarBody {
  readonly kind: 'user_var';
  readonly name: string;
  readonly isNull: boolean;
  /** Item_result: 0 STRING, 1 REAL, 2 INT, 3 ROW, 4 DECIMAL. */
  readonly valueType: number;
  readonly charset: number;
  /** Decoded value: string for STRING/DECIMAL, number for REAL, bigint for INT; null when isNull. */
  readonly value: string | number | bigint | null;
  readonly flags: number;
}

export interface XaPrepareBody {
  readonly kind: 'xa_prepare';
  readonly onePhase: boolean;
  readonly formatId: number;
  readonly gtrid: Buffer;
  readonly bqual: Buffer;
}

export interface IncidentBody {
  readonly kind: 'incident';
  readonly incident: number;
  readonly message: string;
}

export interface StopBody {
  readonly kind: 'stop';
}

export interface MariadbGtidBody {
  readonly kind: 'mariadb_gtid';
  readonly domainId: number;
  readonly serverId: number;
  readonly seqNo: bigint;
  readonly flags2: number;
  /** `domain-server-seq`. */
  readonly gtid: string;
  /** FL_STANDALONE: the event group has no BEGIN (DDL). */
  readonly standalone: boolean;
  readonly commitId?: bigint;
  /** XA transactions: the XID. */
  readonly xa?: { formatId: number; gtrid: Buffer; bqual: Buffer };
}

export interface MariadbGtidListBody {
  readonly kind: 'mariadb_gtid_list';
  readonly gtids: ReadonlyArray<{ domainId: number; serverId: number; seqNo: bigint }>;
  /** Formatted MariaDB GTID set (`0-1-100,1-2-5`). */
  readonly gtidSet: string;
}

export interface MariadbBinlogCheckpointBody {
  readonly kind: 'mariadb_binlog_checkpoint';
  readonly file: string;
}

export interface MariadbAnnotateRowsBody {
  readonly kind: 'mariadb_annotate_rows';
  readonly query: string;
}

export interface LoadDataBody {
  readonly kind: 'load_data';
  /** BEGIN_LOAD_QUERY / APPEND_BLOCK: file id and data block; EXECUTE_LOAD_QUERY: the query. */
  readonly fileId: number;
  readonly block?: Buffer;
  readonly query?: string;
}

export interface UnknownBody {
  readonly kind: 'unknown';
  /** The header marks the event ignorable (LOG_EVENT_IGNORABLE_F): a replica may skip it. */
  readonly ignorable: boolean;
  readonly body: Buffer;
}

export type EventBody =
  | FormatDescriptionBody
  | RotateBody
  | QueryBody
  | XidBody
  | TableMapBody
  | RowsBody
  | MysqlGtidBody
  | PreviousGtidsBody
  | TransactionPayloadBody
  | RowsQueryBody
  | HeartbeatBody
  | IntvarBody
  | RandBody
  | UserVarBody
  | XaPrepareBody
  | IncidentBody
  | StopBody
  | MariadbGtidBody
  | MariadbGtidListBody
  | MariadbBinlogCheckpointBody
  | MariadbAnnotateRowsBody
  | LoadDataBody
  | UnknownBody;

export type BinlogEvent = EventCommon & { readonly body: EventBody };

/** Decoded rows of a rows event. */
export type DecodedRows =
  | { readonly action: 'insert' | 'delete'; readonly rows: Row[] }
  | { readonly action: 'update'; readonly rows: RowChange[] };
