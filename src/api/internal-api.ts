/**
 * The internal API between dm-master and dm-worker (HTTP/JSON, like the dmctl transport).
 *
 * The worker drives it: every keep-alive interval it POSTs a heartbeat to the master with what it runs (its
 * bound source and each subtask's status) and receives what it should run (the desired state the master
 * keeps in its store). The master never needs to reach the worker to change its work; it calls the worker
 * only to read fresh status (`query-status`) and to nudge it to heartbeat at once after a change (`poke`).
 *
 * Invariants: the desired state in a heartbeat answer is complete (a subtask missing from it must not run);
 * a worker whose heartbeats fail for half its keep-alive TTL stops its subtasks (the master gives its source to
 * another worker only after the whole TTL), so one source never runs on two workers.
 */
import type { SubTaskStatusJson } from '../master/master-api.js';

export const INTERNAL_PREFIX = '/internal/v1/';

export interface HeartbeatRequest {
  name: string;
  /** Address the master reaches this worker at. */
  addr: string;
  /** Seconds after the last heartbeat the master may consider this worker lost. */
  keepAliveTtl: number;
  /** Source the worker runs now ('' when free). */
  source: string;
  subtasks: SubTaskStatusJson[];
}

/** One subtask the worker should have, and the stage it should be in. */
export interface DesiredSubtask {
  task: string;
  /** The task's task.yaml text (the worker derives its own source's subtask from it). */
  taskYaml: string;
  stage: 'Running' | 'Paused';
  /** Bumped by every resume-task: a subtask stopped by an error restarts when this changes. */
  resumeSeq: number;
}

export interface HeartbeatResponse {
  /** False: the master refused the worker (name already online at another address …); `msg` says why. */
  ok: boolean;
  msg: string;
  /** The bound source (source.yaml text) or null when the worker is free. */
  source: { id: string; yaml: string } | null;
  subtasks: DesiredSubtask[];
}

/** Fresh status, read by the master for query-status. */
export interface WorkerStatusResponse {
  name: string;
  source: string;
  subtasks: SubTaskStatusJson[];
}
