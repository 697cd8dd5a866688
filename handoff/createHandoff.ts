import { AgentService } from './service/agentService';
import type { HandoffDeps } from './service/handoffContext';
import { HandoffContext } from './service/handoffContext';
import { HandoffService } from './service/handoffService';
import { HandoffWorker } from './worker/handoffWorker';

/** The handoff module, wired: what the composition root and the tests need. */
export interface HandoffModule {
  context: HandoffContext;
  handoff: HandoffService;
  agents: AgentService;
  worker: HandoffWorker;
  /** Resolves once the notices already handed to the outbox have been attempted. */
  settled: () => Promise<void>;
}

/** Builds the module from its ports; see HandoffDeps for what is required. */
export function createHandoff(deps: HandoffDeps): HandoffModule {
  const context = new HandoffContext(deps);
  return {
    context,
    handoff: new HandoffService(context),
    agents: new AgentService(context),
    worker: new HandoffWorker(context),
    settled: () => context.outbox.settled(),
  };
}
