import { onEvent, type CommandEnv, type EventHandlers } from '@xueji/service-kit';
import { applyPersonalDataCorrection, applyStatusChange } from '../application/status-change';

/**
 * Events enrolment applies, each through the same commands as everything else (one unit of work,
 * one audit row naming the event): what status-change approved.
 */
export const handlers = (env: CommandEnv): EventHandlers => ({
  'xueji.status-change.status.changed.v1': onEvent(env, applyStatusChange, (event) => event.data),
  'xueji.status-change.personal-data.correction-approved.v1': onEvent(
    env,
    applyPersonalDataCorrection,
    (event) => event.data,
  ),
  // Corrections published before enrolment answered them: applied the same way, with no request to answer.
  'xueji.status-change.personal-data.corrected.v1': onEvent(env, applyPersonalDataCorrection, (event) => ({
    ...event.data,
    requestId: null,
  })),
});
