/**
 * The handoff module's front door: everything bot/ and scripts/ may use. Anything not
 * exported here is an internal detail (tests may still reach in).
 */

// Wiring: the factory builds the services and the worker from the host's ports.
export { createHandoff, type HandoffModule } from './createHandoff';
export type { HandoffDeps } from './service/handoffContext';
export { handoffMigrations } from './migrations';
export type { HandoffService, OpenTicketBrief, OpenTicketResult } from './service/handoffService';
export type { AgentService } from './service/agentService';
export type { HandoffWorker } from './worker/handoffWorker';

// Settings, events and figures.
export {
  resolveHandoffSettings,
  type HandoffSettings,
  type HandoffSettingsInput,
} from './service/handoffSettings';
export { InMemoryHandoffEvents, type HandoffEvents } from './events/handoffEvents';
export { PgHandoffEvents } from './events/pgEventBus';
export { handoffMetrics, type HandoffMetrics } from './events/handoffMetrics';
export { AnalyticsReader } from './analytics/analyticsReader';
export type { AnalyticsSummary, AnalyticsTimeseries } from './analytics/analyticsTypes';
export { purgeHandoffData, type HandoffPurgeReport } from './worker/retention';

// Errors the host answers differently from a failure.
export { AlreadyRatedError } from './errors';

// The agent console's HTTP surface.
export { registerHandoffRoutes } from './console/routes';
export { consolePage } from './console/consolePage';
export { registerAnalyticsRoutes, type UnansweredQuestions } from './analytics/analyticsRoutes';
export { dashboardPage } from './analytics/dashboardPage';

// Ports and shapes.
export type {
  Clock,
  CustomerNotice,
  CustomerNotifier,
  HandoffReason,
  HandoffTicket,
  NoticeTarget,
} from './types';
