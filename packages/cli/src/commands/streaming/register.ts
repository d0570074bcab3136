// Streaming verbs: `logs`, `exec`, `attach` (and the attach step of `run -it`).
import type { Command } from 'commander';

export function registerStreaming(_program: Command): void {}
