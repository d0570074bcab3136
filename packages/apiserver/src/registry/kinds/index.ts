// Per-kind strategies, keyed by `resource` (core) or `resource.group`.
import type { Strategy } from '../strategy.js';

export const strategies: Record<string, Strategy> = {};
