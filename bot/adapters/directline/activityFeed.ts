import { EventEmitter } from 'node:events';

/**
 * Tells open WebSockets in this process that a conversation has new activities. It carries no
 * activities itself: listeners read from the store after their own watermark, so a missed or
 * doubled signal never loses or repeats anything.
 */
export class ActivityFeed {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open socket; many customers may watch at once.
    this.emitter.setMaxListeners(0);
  }

  publish(conversationId: string): void {
    this.emitter.emit(conversationId);
  }

  /** Returns the function that stops listening. */
  subscribe(conversationId: string, listener: () => void): () => void {
    this.emitter.on(conversationId, listener);
    return () => {
      this.emitter.off(conversationId, listener);
    };
  }
}
