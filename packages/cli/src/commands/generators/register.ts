// Generator verbs (`create namespace|deployment|service|configmap|secret`, `run`, `expose`).
import type { Command } from 'commander';

export function registerGenerators(_program: Command): void {}
