/**
 * The diff sources of a DM task: each subtask's source with its block-allow list and routes, so `dm diff`
 * and `dm run` compare exactly the tables the task migrates, under the names it gives them downstream.
 */
import type { SubtaskConfig } from '../config/subtask-config.js';
import { tableFilterOf, tableRouterOf } from '../worker/subtask-runner.js';
import type { DiffSource } from './diff-plan.js';

export function diffSourcesOf(subtasks: readonly SubtaskConfig[]): DiffSource[] {
  return subtasks.map((st) => ({ sourceId: st.sourceId, db: st.from, filter: tableFilterOf(st), router: tableRouterOf(st) }));
}
