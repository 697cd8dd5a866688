import { AgentService } from './service/agentService';
import type { HandoffDeps } from './service/handoffContext';
import { HandoffContext } from './service/handoffContext';
import { HandoffService } from './service/handoffService';

/** The handoff module, wired: what the composition root needs (worker added in handoffWorker.ts). */
export interface HandoffModule {
  context: HandoffContext;
  handoff: HandoffService;
  agents: AgentService;
}

/** Builds the module from its ports; see HandoffDeps for what is required. */
export function createHandoff(deps: HandoffDeps): HandoffModule {
  const context = new HandoffContext(deps);
  return { context, handoff: new HandoffService(context), agents: new AgentService(context) };
}
