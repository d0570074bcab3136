// batch/v1: Job and CronJob.
import { AGE, CONTAINERS, IMAGES, NAME, NONE, ageOf, col, containerCells, humanDuration, nameOf, printer, selectorCell, since, timeOf, wide } from './helpers.js';
import { DOC } from './descriptions.js';
import type { Condition, CronJob, Job } from './shapes.js';

/** hasJobCondition: the first condition of that type decides. */
function hasCondition(conditions: Condition[] | undefined, type: string): boolean {
  const c = (conditions ?? []).find((x) => x.type === type);
  return c?.status === 'True';
}

export function jobStatus(job: Job): string {
  const conds = job.status?.conditions;
  if (hasCondition(conds, 'Complete')) return 'Complete';
  if (hasCondition(conds, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(conds, 'Suspended')) return 'Suspended';
  if (hasCondition(conds, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const c = job.spec?.completions;
  if (c !== undefined && c !== null) return `${succeeded}/${c}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Job, now: number): string {
  const start = timeOf(job.status?.startTime);
  if (start === -Infinity) return '';
  const end = timeOf(job.status?.completionTime);
  return humanDuration((end === -Infinity ? now : end) - start);
}

export const jobPrinter = printer<Job>(
  [
    NAME,
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', DOC['JobStatus.succeeded']),
    col('Duration', 'string', 'Time required to complete the job.'),
    AGE,
    CONTAINERS,
    IMAGES,
    col('Selector', 'string', DOC['JobSpec.selector'], wide),
  ],
  (job, now) => {
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [nameOf(job), jobStatus(job), completions(job), jobDuration(job, now), ageOf(job, now), names, images, selectorCell(job.spec?.selector)];
  },
);

export const cronJobPrinter = printer<CronJob>(
  [
    NAME,
    col('Schedule', 'string', DOC['CronJobSpec.schedule']),
    col('Timezone', 'string', DOC['CronJobSpec.timeZone']),
    col('Suspend', 'boolean', DOC['CronJobSpec.suspend']),
    col('Active', 'integer', DOC['CronJobStatus.active']),
    col('Last Schedule', 'string', DOC['CronJobStatus.lastScheduleTime']),
    AGE,
    CONTAINERS,
    IMAGES,
    col('Selector', 'string', DOC['JobSpec.selector'], wide),
  ],
  (cj, now) => {
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const [names, images] = containerCells(jobSpec?.template?.spec?.containers);
    const last = cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : NONE;
    return [
      nameOf(cj),
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? NONE,
      cj.spec?.suspend ?? false,
      (cj.status?.active ?? []).length,
      last,
      ageOf(cj, now),
      names,
      images,
      selectorCell(jobSpec?.selector),
    ];
  },
);
