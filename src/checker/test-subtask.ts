/** Test support: a SubtaskConfig with only the fields the checker modules read set (filters, routes, modes). */
import type { SubtaskConfig } from '../config/subtask-config.js';

export function blankSubtask(over: Partial<SubtaskConfig> = {}): SubtaskConfig {
  const base: Partial<SubtaskConfig> = {
    name: 'test',
    taskMode: 'all',
    sourceId: 's1',
    shardMode: '',
    isSharding: false,
    caseSensitive: false,
    ignoreCheckingItems: [],
    routeRules: [],
    columnMappingRules: [],
    enableGtid: false,
  };
  return { ...base, ...over } as SubtaskConfig;
}
