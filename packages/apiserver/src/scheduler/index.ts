export { Scheduler, SCHEDULER_NAME, wantsScheduling, type SchedulerOptions } from './scheduler.js';
export { schedulePod, DEFAULT_PROFILE, type Profile, type ScheduleResult } from './algorithm.js';
export { fitErrorMessage } from './framework.js';
